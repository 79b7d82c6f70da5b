//! The RFC 6570 template grammar (section 2).

use alloc::string::String;
use alloc::vec::Vec;

use super::{
    MAX_TEMPLATE_LEN, MAX_VARIABLES, Modifier, Operator, Part, UriTemplateError,
    UriTemplateErrorKind as Kind, VarSpec, hex_pair, push_pct_encoded,
};

/// A template's pieces.
pub(super) struct Parsed {
    pub(super) parts: Vec<Part>,
    pub(super) specs: Vec<VarSpec>,
}

/// Parses `text` (RFC 6570 section 2, level 4).
pub(super) fn parse(text: &str) -> Result<Parsed, UriTemplateError> {
    if text.len() > MAX_TEMPLATE_LEN {
        return Err(UriTemplateError::new(MAX_TEMPLATE_LEN, Kind::TooLong));
    }
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut specs = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => {
                if !literal.is_empty() {
                    parts.push(Part::Literal(core::mem::take(&mut literal)));
                }
                i = parse_expression(text, i, &mut parts, &mut specs)?;
            }
            b'%' => {
                if hex_pair(bytes, i + 1).is_none() {
                    return Err(UriTemplateError::new(i, Kind::InvalidPercentEncoding));
                }
                // Three ASCII bytes.
                literal.push_str(text.get(i..i + 3).unwrap_or_default());
                i += 3;
            }
            _ => {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                if !is_literal_char(c) {
                    return Err(UriTemplateError::new(i, Kind::InvalidLiteral(c)));
                }
                if c.is_ascii() {
                    // Every ASCII literal character is reserved or unreserved: copied as is.
                    literal.push(c);
                } else {
                    push_pct_encoded(&mut literal, c);
                }
                i += c.len_utf8();
            }
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Ok(Parsed { parts, specs })
}

/// Parses the expression whose `{` is at `start`; returns the offset after its `}`.
fn parse_expression(
    text: &str,
    start: usize,
    parts: &mut Vec<Part>,
    specs: &mut Vec<VarSpec>,
) -> Result<usize, UriTemplateError> {
    let bytes = text.as_bytes();
    let unclosed = UriTemplateError::new(start, Kind::UnclosedExpression);
    let mut i = start + 1;
    let operator = match bytes.get(i) {
        None => return Err(unclosed),
        Some(b'+') => Operator::Reserved,
        Some(b'#') => Operator::Fragment,
        Some(b'.') => Operator::Label,
        Some(b'/') => Operator::Path,
        Some(b';') => Operator::PathParam,
        Some(b'?') => Operator::Query,
        Some(b'&') => Operator::QueryContinuation,
        Some(&c @ (b'=' | b',' | b'!' | b'@' | b'|')) => {
            return Err(UriTemplateError::new(i, Kind::ReservedOperator(char::from(c))));
        }
        Some(_) => Operator::Simple,
    };
    if operator != Operator::Simple {
        i += 1;
    }
    let first_spec = specs.len();
    loop {
        let name_start = i;
        i = parse_varname(text, i)?;
        if i == name_start {
            return Err(match bytes.get(i) {
                None => unclosed,
                Some(_) => UriTemplateError::new(i, Kind::InvalidVariableName),
            });
        }
        let name = text.get(name_start..i).unwrap_or_default().into();
        let modifier = match bytes.get(i) {
            Some(b':') => {
                let (length, end) = parse_prefix(bytes, i + 1)?;
                i = end;
                Modifier::Prefix(length)
            }
            Some(b'*') => {
                i += 1;
                Modifier::Explode
            }
            _ => Modifier::None,
        };
        if specs.len() >= MAX_VARIABLES {
            return Err(UriTemplateError::new(name_start, Kind::TooManyVariables));
        }
        specs.push(VarSpec { name, modifier });
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => {
                parts.push(Part::Expression(operator, first_spec..specs.len()));
                return Ok(i + 1);
            }
            None => return Err(unclosed),
            Some(_) => {
                let c = text.get(i..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
                return Err(UriTemplateError::new(i, Kind::UnexpectedChar(c)));
            }
        }
    }
}

/// Reads `varname = varchar *( ["."] varchar )`, `varchar = ALPHA / DIGIT / "_" / pct-encoded`,
/// from `start`; returns where it ends (`start` if there is none).
fn parse_varname(text: &str, start: usize) -> Result<usize, UriTemplateError> {
    let bytes = text.as_bytes();
    let is_varchar_start = |at: usize| {
        bytes.get(at).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'%')
    };
    let mut i = start;
    loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_alphanumeric() || *b == b'_' => i += 1,
            Some(b'%') => {
                if hex_pair(bytes, i + 1).is_none() {
                    return Err(UriTemplateError::new(i, Kind::InvalidPercentEncoding));
                }
                i += 3;
            }
            Some(b'.') if i > start && is_varchar_start(i + 1) => i += 1,
            // A dot that leads, trails or doubles, in a name (not the `.` operator, which
            // the caller has consumed).
            Some(b'.') if i > start => {
                return Err(UriTemplateError::new(i, Kind::InvalidVariableName));
            }
            _ => return Ok(i),
        }
    }
}

/// Reads `max-length = %x31-39 0*3DIGIT` from `start`; returns it and where it ends.
fn parse_prefix(bytes: &[u8], start: usize) -> Result<(u16, usize), UriTemplateError> {
    let invalid = |at| UriTemplateError::new(at, Kind::InvalidPrefix);
    let mut i = start;
    let mut length: u16 = match bytes.get(i) {
        Some(&d @ b'1'..=b'9') => u16::from(d - b'0'),
        _ => return Err(invalid(i)),
    };
    i += 1;
    while let Some(&d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
        if i - start == 4 {
            return Err(invalid(start));
        }
        length = length * 10 + u16::from(d - b'0');
        i += 1;
    }
    Ok((length, i))
}

/// Whether `c` may appear as itself in literal text (RFC 6570 section 2.1 `literals`, less
/// `pct-encoded`, which the caller handles).
fn is_literal_char(c: char) -> bool {
    match u32::from(c) {
        0x21 | 0x23..=0x24 | 0x26 | 0x28..=0x3b | 0x3d | 0x3f..=0x5b | 0x5d | 0x5f => true,
        0x61..=0x7a | 0x7e => true,
        // ucschar and iprivate (RFC 3987).
        0xa0..=0xd7ff | 0xe000..=0xf8ff | 0xf900..=0xfdcf | 0xfdf0..=0xffef => true,
        0xe0000..=0xe0fff => false,
        cp @ 0x10000..=0x10ffff => cp & 0xffff <= 0xfffd,
        _ => false,
    }
}
