//! Properties of matching over random templates, including the strict pass on its own.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;
use proptest::sample::Index;

use super::matcher::{self, Mode, Node, Units, allows, fill, width};
use super::{Operator, Part, UriTemplate};

/// One piece of a generated template.
#[derive(Clone, Debug)]
enum Piece {
    Literal(&'static str),
    /// An operator, and a prefix length (or none) for each variable.
    Expression(&'static str, Vec<Option<u16>>),
}

const LITERALS: &[&str] = &[
    "a", "b", "/", ".", ",", ";", "=", "?", "&", "#", ":", "@", "-", "~", "_", "!", "+", "*", "(",
    "$", "%20", "%C3%A9", "é", "x/y",
];
const OPERATORS: &[&str] = &["", "+", "#", ".", "/", ";", "?", "&"];

/// Random templates: literals and expressions with distinct variable names, no explode.
/// With `single_query`, query expressions have one variable each (so that their parameters
/// have one order).
fn pieces(single_query: bool) -> impl Strategy<Value = Vec<Piece>> {
    let literal = prop::sample::select(LITERALS).prop_map(Piece::Literal);
    let modifier = prop_oneof![3 => Just(None), 1 => (1u16..5).prop_map(Some)];
    let expression = (prop::sample::select(OPERATORS), prop::collection::vec(modifier, 1..4))
        .prop_map(move |(op, mut vars)| {
            if single_query && (op == "?" || op == "&") {
                vars.truncate(1);
            }
            Piece::Expression(op, vars)
        });
    prop::collection::vec(prop_oneof![literal, expression], 0..6)
}

/// The template text, and the operator of each variable `v0`, `v1`, ...
fn render(pieces: &[Piece]) -> (String, Vec<&'static str>) {
    render_with(pieces, false)
}

/// [`render`], with every variable exploded (and without prefixes) if `explode`.
fn render_with(pieces: &[Piece], explode: bool) -> (String, Vec<&'static str>) {
    let mut text = String::new();
    let mut ops = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => text.push_str(s),
            Piece::Expression(op, vars) => {
                text.push('{');
                text.push_str(op);
                for (k, prefix) in vars.iter().enumerate() {
                    if k > 0 {
                        text.push(',');
                    }
                    text.push_str(&format!("v{}", ops.len()));
                    if explode {
                        text.push('*');
                    } else if let Some(n) = prefix {
                        text.push_str(&format!(":{n}"));
                    }
                    ops.push(*op);
                }
                text.push('}');
            }
        }
    }
    (text, ops)
}

/// Values, possibly empty, biased towards characters with a meaning in URIs.
fn value() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => prop::sample::select(vec![
            '/', '?', '#', '&', '=', ',', ';', '%', ':', '@', '+', ' ', '.', '~', '-', '_', 'a',
            'B', '4', '1', 'é',
        ]),
        1 => any::<char>(),
    ];
    prop::collection::vec(c, 0..6).prop_map(String::from_iter)
}

/// `s` without percent-encoded triplets (their `%` replaced), for `+` and `#` values:
/// expansion passes triplets through, so decoding could not tell `%41` from `A`.
fn without_triplets(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::new();
    for (i, c) in s.char_indices() {
        let triplet = c == '%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        out.push(if triplet { 'x' } else { c });
    }
    out
}

/// A template and variables for it: `(template, vars, complete)`, where `complete` says
/// every variable of a none or `+` expression is defined and non-empty.
fn case(
    single_query: bool,
) -> impl Strategy<Value = (UriTemplate, BTreeMap<String, String>, bool)> {
    (pieces(single_query), prop::collection::vec(prop::option::weighted(0.8, value()), 18))
        .prop_map(|(pieces, values)| {
            let (text, ops) = render(&pieces);
            let template = UriTemplate::parse(&text).unwrap();
            let mut vars = BTreeMap::new();
            let mut complete = true;
            for (k, op) in ops.iter().enumerate() {
                let value = values.get(k).cloned().flatten();
                let value = match (*op, value) {
                    ("+" | "#", Some(v)) => Some(without_triplets(&v)),
                    (_, v) => v,
                };
                if (op.is_empty() || *op == "+") && value.as_deref().is_none_or(str::is_empty) {
                    complete = false;
                }
                if let Some(v) = value {
                    vars.insert(format!("v{k}"), v);
                }
            }
            (template, vars, complete)
        })
}

/// The strict pass alone.
fn strict(t: &UriTemplate, uri: &str) -> Option<BTreeMap<String, String>> {
    matcher::run(&t.program, &t.specs, &Units::new(uri), Mode::Strict)
}

/// Edits to a URI: (what, where, with what).
fn edits() -> impl Strategy<Value = Vec<(u8, Index, &'static str)>> {
    let token = prop::sample::select(vec![
        "a", "Z", "0", "-", ".", "_", "~", ":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'",
        "(", ")", "*", "+", ",", ";", "=", "%20", "%25", "%2F", "%3D", "%C3%A9", "v0", "v1=",
    ]);
    prop::collection::vec((0u8..3, any::<Index>(), token), 1..3)
}

/// Applies `edits` to `uri`, cut into tokens (characters, and triplets kept whole).
fn edit(uri: &str, edits: &[(u8, Index, &str)]) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut chars = uri.chars().peekable();
    while let Some(c) = chars.next() {
        let mut token = c.to_string();
        if c == '%' {
            token.extend(chars.next());
            token.extend(chars.next());
        }
        tokens.push(token);
    }
    for (what, at, with) in edits {
        match what {
            0 => tokens.insert(at.index(tokens.len() + 1), with.to_string()),
            1 if !tokens.is_empty() => {
                tokens.remove(at.index(tokens.len()));
            }
            _ if !tokens.is_empty() => {
                let i = at.index(tokens.len());
                tokens[i] = with.to_string();
            }
            _ => {}
        }
    }
    tokens.concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// A URI that expansion produced: the strict pass finds a match whenever the none and
    /// `+` variables were all defined and non-empty, and whatever it finds expands back to the
    /// same URI; the public `matches` agrees.
    #[test]
    fn strict_match_of_an_expansion_is_complete_and_sound((t, vars, complete) in case(false)) {
        let uri = t.expand(&vars);
        let found = strict(&t, &uri);
        if complete {
            prop_assert!(found.is_some(), "{} with {:?} -> {} did not match", t, vars, uri);
        }
        if let Some(found) = found {
            prop_assert_eq!(t.expand(&found), uri.clone(), "{} with {:?} -> found {:?}", t, vars, found);
            prop_assert_eq!(t.matches(&uri), Some(found));
        }
    }

    /// A URI that is not an expansion is not matched strictly: whatever the strict pass
    /// finds in an edited expansion expands to exactly that edited URI.
    #[test]
    fn strict_match_accepts_only_expansions((t, vars, _) in case(true), edits in edits()) {
        let uri = edit(&t.expand(&vars), &edits);
        if let Some(found) = strict(&t, &uri) {
            prop_assert_eq!(t.expand(&found), uri.clone(), "{} found {:?}", t, found);
        }
    }

    /// Whatever the lenient pass accepts, its variables expand to a URI that the strict pass
    /// matches, to variables that expand to that same URI.
    #[test]
    fn lenient_matches_expand_to_strict_ones((t, vars, _) in case(false), edits in edits()) {
        let uri = edit(&t.expand(&vars), &edits);
        if let Some(found) = t.matches(&uri) {
            let again = t.expand(&found);
            let refound = strict(&t, &again);
            prop_assert!(refound.is_some(), "{} found {:?} in {}; {} did not match", t, found, uri, again);
            prop_assert_eq!(t.expand(&refound.unwrap()), again);
        }
    }

    /// The compiled automaton keeps the order the table fill relies on, and has no edge
    /// left unpatched.
    #[test]
    fn compiled_automata_are_well_formed(pieces in pieces(false), explode in any::<bool>()) {
        let (text, _) = render_with(&pieces, explode);
        let t = UriTemplate::parse(&text).unwrap();
        let len = t.program.len();
        prop_assert!(matches!(t.program.last(), Some(Node::Accept)));
        for (i, node) in t.program.iter().enumerate() {
            match node {
                Node::Lit { text, next } => {
                    prop_assert!(!text.is_empty() && *next < len && text.is_ascii(), "{}: {:?}", t, node);
                }
                Node::Alt { options } => {
                    prop_assert!(options.iter().all(|&o| o > i && o < len), "{}: {} {:?}", t, i, node);
                }
                Node::Value { min, next, .. } => {
                    prop_assert!(*next < len && (*min > 0 || *next > i), "{}: {} {:?}", t, i, node);
                }
                Node::Accept => prop_assert_eq!(i, len - 1),
            }
        }
    }

    /// Any template text, any URI: no panic, and parse errors point inside the template.
    #[test]
    fn arbitrary_input_never_panics(
        template in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec!["{", "}", ",", ":", "*", "%", "4", ".", "a", "+", "?", "/", ";", "=", "&", "#", "é", "9"]),
                Just(""),
            ],
            0..16,
        ),
        uri in ".{0,24}",
    ) {
        let template = template.concat();
        match UriTemplate::parse(&template) {
            Ok(t) => {
                let found = t.matches(&uri);
                if let Some(found) = found {
                    let _ = t.expand(&found);
                }
            }
            Err(e) => prop_assert!(e.position() <= template.len()),
        }
    }
}

/// Whether `node` matches the URI from unit `g` on: the table's question, answered top-down
/// by trying every end of every value, as plainly as possible.
fn reference(
    nodes: &[Node],
    units: &Units<'_>,
    mode: Mode,
    node: usize,
    g: usize,
    memo: &mut BTreeMap<(usize, usize), bool>,
) -> bool {
    if let Some(&known) = memo.get(&(node, g)) {
        return known;
    }
    let n = units.len();
    let result = match &nodes[node] {
        Node::Accept => g == n,
        Node::Lit { text, next } => match units.literal_end(g, text) {
            Some(end) => reference(nodes, units, mode, *next, end, memo),
            None => false,
        },
        Node::Alt { options } => {
            options.iter().any(|&option| reference(nodes, units, mode, option, g, memo))
        }
        Node::Value { class, min, max, next, .. } => (g + min..=n).any(|end| {
            let units_ok = (g..end).all(|at| allows(*class, mode, units.units[at]));
            let length: u32 = (g..end).map(|at| width(units, *class, at, end)).sum();
            units_ok
                && max.is_none_or(|max| length <= u32::from(max))
                && reference(nodes, units, mode, *next, end, memo)
        }),
    };
    memo.insert((node, g), result);
    result
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The table, filled bottom-up with sliding windows, agrees with the plain top-down
    /// reference on every node and position, in both modes, exploded templates included.
    #[test]
    fn table_agrees_with_reference(
        (t, vars, _) in case(false),
        explode in any::<bool>(),
        edits in edits(),
        pieces in pieces(false),
    ) {
        let t = if explode {
            UriTemplate::parse(&render_with(&pieces, true).0).unwrap()
        } else {
            t
        };
        let uri = edit(&t.expand(&vars), &edits);
        let units = Units::new(&uri);
        for mode in [Mode::Strict, Mode::Lenient] {
            let table = fill(&t.program, &units, mode);
            let mut memo = BTreeMap::new();
            for node in 0..t.program.len() {
                for g in 0..=units.len() {
                    let expected = reference(&t.program, &units, mode, node, g, &mut memo);
                    prop_assert_eq!(table.get(node, g), expected, "{} {:?} node {} at {}", t, uri, node, g);
                }
            }
        }
    }
}

#[test]
fn parts_keep_literals_encoded() {
    let t = UriTemplate::parse("é{x}%7e{+y,z}").unwrap();
    let parts: Vec<String> = t
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.clone(),
            Part::Expression(op, range) => format!("{op:?}{range:?}"),
        })
        .collect();
    assert_eq!(parts, ["%C3%A9", "Simple0..1", "%7e", "Reserved1..3"]);
    assert_eq!(Operator::Reserved.separator(), ",");
}

#[test]
fn percent_25_before_hex_digits_stays_encoded_in_reserved_values() {
    let t = UriTemplate::parse("{+x}").unwrap();
    // "%2541" can only come from the value "%2541": "%41" would pass through as "%41".
    let found = t.matches("50%2541").unwrap();
    assert_eq!(found["x"], "50%2541");
    assert_eq!(t.expand(&found), "50%2541");
    assert_eq!(t.matches("50%25").unwrap()["x"], "50%");
    assert_eq!(t.matches("%254").unwrap()["x"], "%4");
    // Prefixes count it as three characters, but only when the digits are in the value.
    let t = UriTemplate::parse("{+x:3}").unwrap();
    assert_eq!(t.matches("%2541"), None);
    assert_eq!(t.matches("%254").unwrap()["x"], "%4");
    let t = UriTemplate::parse("{+x:6}{y}").unwrap();
    let found = t.matches("a%2541b").unwrap();
    assert_eq!((found["x"].as_str(), found["y"].as_str()), ("a%2541", "b"));
    let t = UriTemplate::parse("{+x:5}{y}").unwrap();
    let found = t.matches("a%2541b").unwrap();
    assert_eq!((found["x"].as_str(), found["y"].as_str()), ("a%4", "1b"));
    assert_eq!(t.expand(&found), "a%2541b");
    let t = UriTemplate::parse("{+x:3}{y}").unwrap();
    let found = t.matches("a%2541b").unwrap();
    assert_eq!((found["x"].as_str(), found["y"].as_str()), ("a%4", "1b"));
}

/// Cases the properties above once found.
#[test]
fn regressions() {
    // Items of `.`, `/` and `#` go to the earliest variable that can take them, not just to
    // the first ones: here only `v5` is long enough.
    let t = UriTemplate::parse("{.v0,v1}{.v2}{#v3:1,v4:1,v5}").unwrap();
    let vars: BTreeMap<String, String> = [("v5".into(), "//".into())].into();
    assert_eq!(t.expand(&vars), "#//");
    assert_eq!(strict(&t, "#//"), Some(vars));
    // A `%25` before two hex digits counts as three characters in a prefixed `+` value, in
    // the table as in the decoded value, so the one split that works is found.
    let t = UriTemplate::parse("{v0}{.v1,v2}{+v3:4}{/v4}").unwrap();
    let vars: BTreeMap<String, String> =
        [("v0", "/"), ("v3", " "), ("v4", "%aa")].map(|(k, v)| (k.into(), v.into())).into();
    let uri = t.expand(&vars);
    assert_eq!(uri, "%2F%20/%25aa");
    assert_eq!(strict(&t, &uri), Some(vars));
}
