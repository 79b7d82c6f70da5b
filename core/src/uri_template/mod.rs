//! RFC 6570 URI Templates: parsing, expansion, and matching a URI back to its variables.
//!
//! MCP resource templates (`ResourceTemplate.uriTemplate`) are RFC 6570 templates. A server
//! registers one, say `test://template/{id}/data`, and when a client reads
//! `test://template/123/data` it finds the template that [`matches`](UriTemplate::matches) the
//! URI and the variables that produce it, here `id = "123"`. A client
//! [`expand`](UriTemplate::expand)s a template with the arguments it has, and asks for
//! completions of the names [`variables`](UriTemplate::variables) lists.
//!
//! ```
//! use std::collections::BTreeMap;
//! use mcp_sansio::uri_template::UriTemplate;
//!
//! let template = UriTemplate::parse("weather://{city}/current{?units}").unwrap();
//! assert_eq!(template.variables().collect::<Vec<_>>(), ["city", "units"]);
//!
//! let uri = template.expand(&[("city", "São Paulo"), ("units", "metric")]);
//! assert_eq!(uri, "weather://S%C3%A3o%20Paulo/current?units=metric");
//!
//! let vars = template.matches(&uri).unwrap();
//! assert_eq!(vars["city"], "São Paulo");
//! assert_eq!(vars["units"], "metric");
//! assert_eq!(template.matches("weather://Lima/current").unwrap().get("units"), None);
//! assert_eq!(template.matches("weather://Lima/forecast"), None);
//! # let _: BTreeMap<String, String> = vars;
//! ```
//!
//! # Syntax
//!
//! [`UriTemplate::parse`] accepts the whole of RFC 6570 level 4: literals (with percent-encoded
//! triplets and non-ASCII characters), expressions with the operators none, `+`, `#`, `.`, `/`,
//! `;`, `?` and `&`, lists of variables, prefix modifiers `:1` to `:9999` and the explode
//! modifier `*`. It rejects the operators the RFC reserves (`=`, `,`, `!`, `@`, `|`) and any
//! malformed input, with the byte position and what was wrong ([`UriTemplateError`]).
//! A template may be at most [`MAX_TEMPLATE_LEN`] bytes long and hold at most
//! [`MAX_VARIABLES`] variable references.
//!
//! # Expansion
//!
//! [`UriTemplate::expand`] follows RFC 6570 section 3 and its appendix A exactly: undefined
//! variables, empty lists and empty maps are skipped; characters outside the unreserved set
//! (outside unreserved and reserved for `+` and `#`, which also pass percent-encoded triplets
//! through) are percent-encoded as UTF-8 with upper-case hex digits; a prefix counts Unicode
//! characters. The RFC calls a prefix on a list or a map an error; here it is ignored.
//!
//! # Matching
//!
//! RFC 6570 defines no matching, so this is what [`UriTemplate::matches`] does. The URI is read
//! as a sequence of characters, where a percent-encoded UTF-8 character (`%C3%A9`) counts as one
//! character and a malformed one (`%FF`, `%C3` alone, a `%` without two hex digits) can only be
//! matched by literal text of the template.
//!
//! - **Literals** match the template's literal text as expansion writes it (non-ASCII characters
//!   percent-encoded), with the hex digits of percent-encoded triplets compared without regard to
//!   case; a raw non-ASCII character in the URI also matches its percent-encoded form.
//! - **`{var}`** and **`{+var}`**: every variable of the expression must be present, non-empty
//!   and separated from the next by `,`.
//! - **`{.var}`**, **`{/var}`** and **`{#var}`**: items of the form *lead* *value*, where the
//!   lead of the first item is the operator's character and that of the others is the
//!   separator (`.`, `/`, `,`), and a value may be empty. Every variable is optional, as
//!   expansion skips undefined ones; items go to the variables in template order, and when an
//!   item could go to more than one variable, the earliest that can take it does.
//! - **`{;var}`**: each variable is optional and appears in template order as `;name=value`
//!   with a non-empty value or, for an empty value, `;name`.
//! - **`{?var}`** and **`{&var}`**: the operator's character then `name=value` pairs separated
//!   by `&`, in any order, each optional; a name the expression does not list, a pair without
//!   `=`, or a variable given twice (unless exploded) means no match.
//! - **Exploded** variables (`{/list*}`, `{?list*}`, ...) may take several items; their decoded
//!   values come back joined by `,`. Exploded maps come back as the list of their `key=value`
//!   items, and in `;`, `?` and `&` expressions only items named after the variable are taken.
//! - **Prefixes** (`{var:3}`) limit the decoded value to that many characters.
//! - **Values** are percent-decoded, never into invalid UTF-8 (a malformed triplet cannot be
//!   part of a value). In `+` and `#` expressions some triplets stay encoded: those of reserved
//!   and unreserved characters (`%2F` stays `%2F`), and a `%25` that two raw hex digits follow
//!   in the value. Expansion passes such triplets through from the variable's value and never
//!   writes them itself, so keeping them makes matching the inverse of expansion.
//! - **Which characters a value may hold.** Matching is tried *strictly* first: a value may hold
//!   percent-encoded triplets and the characters expansion leaves unencoded, that is the
//!   unreserved characters (`A-Z a-z 0-9 - . _ ~`), plus, for `+` and `#`, the reserved ones
//!   (`: / ? # [ ] @ ! $ & ' ( ) * + , ; =`). If that finds no match, then *leniently*, to
//!   accept URIs written by hand or with too little encoding (`users://a b@c/profile`): a value
//!   may hold any character except, for none, `.` and `/`: `/ ? #`; for `;`: `/ ? # ;`; for
//!   `?` and `&`: `& #`; for `+` and `#`: none excepted.
//! - **Where a value ends.** Values are greedy, earlier variables first: each takes the longest
//!   run of characters that still lets the rest of the URI match. This is exact, not a
//!   heuristic that can miss a match. One exception: a `{+var}` value takes in a raw `?` or
//!   `#` only if no value without one lets the rest of the URI match, so that
//!   `file:///{+path}{?rev}` gives `path` and `rev` from `file:///a/b?rev=2` (and `path` alone,
//!   `a/b?x=2`, from `file:///a/b?x=2`).
//! - A variable used more than once in a template must get the same value each time.
//!
//! For a URI that expansion produced, the strict pass always finds a match if every variable
//! of the none and `+` expressions was defined and non-empty, and the variables it finds
//! expand back to that same URI. The strict pass never accepts a URI that no variables expand
//! to, up to the order of the parameters of a `?` or `&` expression and to the equivalences of
//! RFC 3986 section 6.2.2 (the case of hex digits, percent-encoded unreserved characters, and
//! raw non-ASCII characters against literal text). Where a template is
//! ambiguous (`{x}.{y}`: is `a.b.c` `a.b` and `c`, or `a` and `b.c`?) the variables found may
//! differ from those that produced the URI, but they expand to the same URI. Where expansion is
//! one-to-one (`test://{a}/{b}{?c,d}`, `{a},{b}`, `files/{+path}`), matching gives back the
//! variables that produced the URI.
//!
//! # Cost
//!
//! Parsing takes time linear in the template; expansion linear in the template and its output.
//! Matching never backtracks: it fills a table of which state of the template can match which
//! suffix of the URI, in one pass from the end, then reads the match off it from the start,
//! taking at each choice the first option the table says still leads to a match. For a URI of
//! `n` characters and a template compiled to `s` states (at most ten per variable reference,
//! plus one per literal) with `l` bytes of literal text, a pass takes `O(n · (s + l))` time and
//! `n · s` bits of memory. The lenient pass only runs when the strict one fails and the URI
//! holds a character the two treat differently. URIs longer than [`MAX_MATCH_URI_LEN`] bytes
//! are not matched; with the template limits, that bounds a match to under half a megabyte
//! and, on a pathological template at the limits (32 exploded variables), about ten
//! milliseconds a pass; templates such as `weather://{city}/current{?units}` take
//! microseconds.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Range;
use core::str::FromStr;

mod expand;
mod matcher;
mod parse;
#[cfg(test)]
mod tests;

/// The longest template [`UriTemplate::parse`] accepts, in bytes.
pub const MAX_TEMPLATE_LEN: usize = 1024;

/// The most variable references (`{a,b}` holds two) a template may hold.
pub const MAX_VARIABLES: usize = 32;

/// The longest URI [`UriTemplate::matches`] considers, in bytes; longer URIs never match.
pub const MAX_MATCH_URI_LEN: usize = 8 * 1024;

/// A parsed RFC 6570 URI template.
///
/// Two templates are equal when their text is.
#[derive(Clone)]
pub struct UriTemplate {
    /// The template as written.
    text: String,
    /// Literals and expressions, in order.
    parts: Vec<Part>,
    /// Every variable reference, in order; expressions hold ranges of it.
    specs: Vec<VarSpec>,
    /// Each variable name once, in order of first use.
    names: Vec<String>,
    /// The template compiled for matching.
    program: Vec<matcher::Node>,
}

/// One piece of a template.
#[derive(Clone, Debug)]
enum Part {
    /// Literal text, as expansion writes it (non-ASCII characters percent-encoded).
    Literal(String),
    /// An expression: its operator and its variables, a range of [`UriTemplate::specs`].
    Expression(Operator, Range<usize>),
}

/// An expression's operator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Operator {
    /// `{var}`
    Simple,
    /// `{+var}`
    Reserved,
    /// `{#var}`
    Fragment,
    /// `{.var}`
    Label,
    /// `{/var}`
    Path,
    /// `{;var}`
    PathParam,
    /// `{?var}`
    Query,
    /// `{&var}`
    QueryContinuation,
}

impl Operator {
    /// What precedes the first defined variable.
    fn first(self) -> &'static str {
        match self {
            Operator::Simple | Operator::Reserved => "",
            Operator::Fragment => "#",
            Operator::Label => ".",
            Operator::Path => "/",
            Operator::PathParam => ";",
            Operator::Query => "?",
            Operator::QueryContinuation => "&",
        }
    }

    /// What separates defined variables and exploded items.
    fn separator(self) -> &'static str {
        match self {
            Operator::Simple | Operator::Reserved | Operator::Fragment => ",",
            Operator::Label => ".",
            Operator::Path => "/",
            Operator::PathParam => ";",
            Operator::Query | Operator::QueryContinuation => "&",
        }
    }

    /// Whether values are written as `name=value`.
    fn named(self) -> bool {
        matches!(self, Operator::PathParam | Operator::Query | Operator::QueryContinuation)
    }

    /// What follows the name of a variable whose value is empty.
    fn if_empty(self) -> &'static str {
        match self {
            Operator::Query | Operator::QueryContinuation => "=",
            _ => "",
        }
    }

    /// Whether reserved characters and percent-encoded triplets pass through unencoded.
    fn allows_reserved(self) -> bool {
        matches!(self, Operator::Reserved | Operator::Fragment)
    }
}

/// A variable reference: a name and its modifier.
#[derive(Clone, Debug)]
struct VarSpec {
    name: String,
    modifier: Modifier,
}

/// A variable reference's modifier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Modifier {
    None,
    /// `:n`, 1 to 9999.
    Prefix(u16),
    /// `*`
    Explode,
}

impl UriTemplate {
    /// Parses an RFC 6570 template (levels 1 to 4).
    ///
    /// Fails on malformed input, on the reserved operators `=`, `,`, `!`, `@` and `|`, on a
    /// template longer than [`MAX_TEMPLATE_LEN`] bytes and on one with more than
    /// [`MAX_VARIABLES`] variable references.
    pub fn parse(template: &str) -> Result<UriTemplate, UriTemplateError> {
        let parsed = parse::parse(template)?;
        let program = matcher::compile(&parsed.parts, &parsed.specs);
        let mut names: Vec<String> = Vec::new();
        for spec in &parsed.specs {
            if !names.contains(&spec.name) {
                names.push(spec.name.clone());
            }
        }
        Ok(UriTemplate {
            text: template.into(),
            parts: parsed.parts,
            specs: parsed.specs,
            names,
            program,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The names of the template's variables, each once, in order of first use.
    pub fn variables(&self) -> impl Iterator<Item = &str> + '_ {
        self.names.iter().map(String::as_str)
    }

    /// Expands the template with `vars` (RFC 6570 section 3). Variables `vars` does not
    /// define are skipped, as are empty lists and maps.
    pub fn expand<V: VarSource + ?Sized>(&self, vars: &V) -> String {
        expand::expand(&self.parts, &self.specs, vars)
    }

    /// Matches `uri` against the template; on success returns the value of each variable the
    /// URI defines. See [the module documentation](self#matching) for the rules.
    pub fn matches(&self, uri: &str) -> Option<BTreeMap<String, String>> {
        matcher::matches(&self.program, &self.specs, uri)
    }
}

impl fmt::Debug for UriTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UriTemplate").field(&self.text).finish()
    }
}

impl fmt::Display for UriTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for UriTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for UriTemplate {}

impl Hash for UriTemplate {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl FromStr for UriTemplate {
    type Err = UriTemplateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UriTemplate::parse(s)
    }
}

/// A variable's value for [`UriTemplate::expand`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Value {
    /// A string.
    String(String),
    /// A list of strings; an empty list counts as undefined.
    List(Vec<String>),
    /// An ordered list of name-value pairs; an empty map counts as undefined.
    Map(Vec<(String, String)>),
}

/// A borrowed [`Value`]: what a [`VarSource`] hands out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueRef<'a> {
    /// A string.
    String(&'a str),
    /// A list of strings; an empty list counts as undefined.
    List(&'a [String]),
    /// An ordered list of name-value pairs; an empty map counts as undefined.
    Map(&'a [(String, String)]),
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(value: &'a Value) -> Self {
        match value {
            Value::String(s) => ValueRef::String(s),
            Value::List(items) => ValueRef::List(items),
            Value::Map(pairs) => ValueRef::Map(pairs),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Self {
        Value::List(items)
    }
}

impl From<Vec<(String, String)>> for Value {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Value::Map(pairs)
    }
}

/// Where [`UriTemplate::expand`] looks variables up.
///
/// Implemented for maps from names to [`Value`]s, `String`s or `&str`s (so the result of
/// [`UriTemplate::matches`] expands back), and for slices and arrays of `(name, value)` string
/// pairs.
pub trait VarSource {
    /// The value of the variable `name`, or `None` if it is undefined.
    fn var(&self, name: &str) -> Option<ValueRef<'_>>;
}

impl<T: VarSource + ?Sized> VarSource for &T {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        (**self).var(name)
    }
}

impl<K: Borrow<str> + Ord> VarSource for BTreeMap<K, Value> {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        self.get(name).map(ValueRef::from)
    }
}

impl<K: Borrow<str> + Ord> VarSource for BTreeMap<K, String> {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        self.get(name).map(|value| ValueRef::String(value))
    }
}

impl<K: Borrow<str> + Ord> VarSource for BTreeMap<K, &str> {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        self.get(name).map(|value| ValueRef::String(value))
    }
}

impl VarSource for [(&str, &str)] {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        self.iter().find(|(key, _)| *key == name).map(|(_, value)| ValueRef::String(value))
    }
}

impl<const N: usize> VarSource for [(&str, &str); N] {
    fn var(&self, name: &str) -> Option<ValueRef<'_>> {
        self.as_slice().var(name)
    }
}

/// Why a template could not be parsed: what, and where.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UriTemplateError {
    position: usize,
    kind: UriTemplateErrorKind,
}

impl UriTemplateError {
    fn new(position: usize, kind: UriTemplateErrorKind) -> Self {
        UriTemplateError { position, kind }
    }

    /// The byte offset in the template where the problem was found.
    pub fn position(&self) -> usize {
        self.position
    }

    /// What the problem is.
    pub fn kind(&self) -> UriTemplateErrorKind {
        self.kind
    }
}

/// What is wrong with a template.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum UriTemplateErrorKind {
    /// The template is longer than [`MAX_TEMPLATE_LEN`] bytes.
    TooLong,
    /// The template holds more than [`MAX_VARIABLES`] variable references.
    TooManyVariables,
    /// A character RFC 6570 does not allow in literal text: a control character, space, `"`,
    /// `'`, `<`, `>`, `\`, `^`, `` ` ``, `|`, `}`, or a non-ASCII character outside `ucschar`
    /// and `iprivate` (RFC 3987), such as a noncharacter.
    InvalidLiteral(char),
    /// A `%` not followed by two hex digits.
    InvalidPercentEncoding,
    /// A `{` without its `}`.
    UnclosedExpression,
    /// An operator RFC 6570 reserves for future extensions: `=`, `,`, `!`, `@` or `|`.
    ReservedOperator(char),
    /// A variable name is missing or malformed (names are letters, digits, `_` and
    /// percent-encoded triplets, with single dots between them).
    InvalidVariableName,
    /// A prefix length that is not an integer from 1 to 9999 without leading zeros.
    InvalidPrefix,
    /// A character that cannot come at this point of an expression.
    UnexpectedChar(char),
}

impl fmt::Display for UriTemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid URI template: ")?;
        match self.kind {
            UriTemplateErrorKind::TooLong => {
                write!(f, "longer than {MAX_TEMPLATE_LEN} bytes")?;
            }
            UriTemplateErrorKind::TooManyVariables => {
                write!(f, "more than {MAX_VARIABLES} variable references")?;
            }
            UriTemplateErrorKind::InvalidLiteral(c) => {
                write!(f, "character {c:?} is not allowed outside an expression")?;
            }
            UriTemplateErrorKind::InvalidPercentEncoding => {
                f.write_str("'%' is not followed by two hex digits")?;
            }
            UriTemplateErrorKind::UnclosedExpression => f.write_str("'{' is never closed")?,
            UriTemplateErrorKind::ReservedOperator(c) => {
                write!(f, "operator {c:?} is reserved")?;
            }
            UriTemplateErrorKind::InvalidVariableName => {
                f.write_str("missing or malformed variable name")?;
            }
            UriTemplateErrorKind::InvalidPrefix => {
                f.write_str("prefix length must be 1 to 9999 without leading zeros")?;
            }
            UriTemplateErrorKind::UnexpectedChar(c) => {
                write!(f, "unexpected character {c:?} in expression")?;
            }
        }
        write!(f, " (at byte {})", self.position)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UriTemplateError {}

/// RFC 3986 `unreserved`.
fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// RFC 3986 `reserved`: `gen-delims` and `sub-delims`.
fn is_reserved(c: char) -> bool {
    matches!(
        c,
        ':' | '/'
            | '?'
            | '#'
            | '['
            | ']'
            | '@'
            | '!'
            | '$'
            | '&'
            | '\''
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | ';'
            | '='
    )
}

/// The value of an ASCII hex digit.
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte encoded by the two hex digits at `bytes[at..at + 2]`, if they are hex digits.
fn hex_pair(bytes: &[u8], at: usize) -> Option<u8> {
    let high = hex_value(*bytes.get(at)?)?;
    let low = hex_value(*bytes.get(at.checked_add(1)?)?)?;
    Some(high << 4 | low)
}

/// Appends `c` percent-encoded as UTF-8, with upper-case hex digits.
fn push_pct_encoded(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
}
