//! Expansion (RFC 6570 section 3 and appendix A).

use alloc::string::String;

use super::{
    Modifier, Operator, Part, ValueRef, VarSource, VarSpec, hex_pair, is_reserved, is_unreserved,
    push_pct_encoded,
};

/// Expands `parts` with the values `vars` gives.
pub(super) fn expand<V: VarSource + ?Sized>(parts: &[Part], specs: &[VarSpec], vars: &V) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => out.push_str(text),
            Part::Expression(operator, range) => {
                let specs = specs.get(range.clone()).unwrap_or_default();
                expand_expression(&mut out, *operator, specs, vars);
            }
        }
    }
    out
}

/// Appends the expansion of one expression.
fn expand_expression<V: VarSource + ?Sized>(
    out: &mut String,
    operator: Operator,
    specs: &[VarSpec],
    vars: &V,
) {
    let reserved = operator.allows_reserved();
    let named = operator.named();
    let separator = operator.separator();
    let mut first = true;
    for spec in specs {
        let Some(value) = vars.var(&spec.name) else { continue };
        match value {
            ValueRef::List([]) | ValueRef::Map([]) => continue,
            _ => {}
        }
        out.push_str(if first { operator.first() } else { separator });
        first = false;
        let explode = spec.modifier == Modifier::Explode;
        match value {
            ValueRef::String(s) => {
                if named {
                    out.push_str(&spec.name);
                    out.push_str(if s.is_empty() { operator.if_empty() } else { "=" });
                }
                let s = match spec.modifier {
                    Modifier::Prefix(length) => prefix(s, usize::from(length)),
                    _ => s,
                };
                push_encoded(out, s, reserved);
            }
            ValueRef::List(items) if explode => {
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(separator);
                    }
                    if named {
                        out.push_str(&spec.name);
                        out.push_str(if item.is_empty() { operator.if_empty() } else { "=" });
                    }
                    push_encoded(out, item, reserved);
                }
            }
            ValueRef::Map(pairs) if explode => {
                for (k, (key, item)) in pairs.iter().enumerate() {
                    if k > 0 {
                        out.push_str(separator);
                    }
                    push_encoded(out, key, reserved);
                    out.push_str(if named && item.is_empty() { operator.if_empty() } else { "=" });
                    push_encoded(out, item, reserved);
                }
            }
            ValueRef::List(items) => {
                if named {
                    out.push_str(&spec.name);
                    out.push('=');
                }
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    push_encoded(out, item, reserved);
                }
            }
            ValueRef::Map(pairs) => {
                if named {
                    out.push_str(&spec.name);
                    out.push('=');
                }
                for (k, (key, item)) in pairs.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    push_encoded(out, key, reserved);
                    out.push(',');
                    push_encoded(out, item, reserved);
                }
            }
        }
    }
}

/// The first `length` characters of `s`.
fn prefix(s: &str, length: usize) -> &str {
    match s.char_indices().nth(length) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

/// Appends `s`, percent-encoding every character but the unreserved ones, or, if `reserved`,
/// but the unreserved and reserved ones and the `%` of a percent-encoded triplet.
fn push_encoded(out: &mut String, s: &str, reserved: bool) {
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        let pass = is_unreserved(c)
            || (reserved && (is_reserved(c) || (c == '%' && hex_pair(bytes, i + 1).is_some())));
        if pass {
            out.push(c);
        } else {
            push_pct_encoded(out, c);
        }
    }
}
