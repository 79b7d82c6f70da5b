//! Matching a URI against a template (see the module documentation of
//! [`uri_template`](super) for the rules).
//!
//! A template compiles to a small automaton ([`Node`]s): literal text, alternatives, and
//! values, each value taking a run of characters of a given class. Matching fills a table of
//! which node can match which suffix of the URI, in one pass from the end of the URI to its
//! start, then walks the automaton from the start, at each choice taking the first option
//! the table says can still lead to a match. No choice is ever undone, so the cost is that of
//! the table: `O(positions · (nodes + literal bytes))`.
//!
//! Positions are indices of *units*: a raw character, or a percent-encoded UTF-8 character
//! (`%41`, `%C3%A9`), or a malformed triplet sequence or lone `%`, which no value may hold.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use super::{
    MAX_MATCH_URI_LEN, Modifier, Operator, Part, VarSpec, hex_pair, is_reserved, is_unreserved,
};

/// A state of the compiled template.
///
/// Invariant the table relies on: a node's zero-width successors (an [`Node::Alt`]'s
/// options, the `next` of a [`Node::Value`] with `min == 0`) have higher indices than the
/// node. Edges back to lower indices only leave [`Node::Lit`] nodes, which consume input.
#[derive(Clone, Debug)]
pub(super) enum Node {
    /// Literal text (ASCII: non-ASCII characters are stored percent-encoded), then `next`.
    Lit { text: Box<str>, next: usize },
    /// Any of these nodes; the earlier is preferred.
    Alt { options: Box<[usize]> },
    /// A value of `specs[spec]`: a run of `min` or more units the class allows, at most
    /// `max` characters long once decoded, then `next`.
    Value { spec: usize, class: Class, min: usize, max: Option<u16>, next: usize },
    /// The end of the template: matches the end of the URI.
    Accept,
}

/// Which characters a value may hold; follows from the expression's operator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Class {
    /// None, `.` and `/`.
    Plain,
    /// `;`
    PathParam,
    /// `?` and `&`
    Query,
    /// `+`: also prefers to stop before a raw `?` or `#`.
    Reserved,
    /// `#`
    Fragment,
}

impl Class {
    fn of(operator: Operator) -> Class {
        match operator {
            Operator::Simple | Operator::Label | Operator::Path => Class::Plain,
            Operator::PathParam => Class::PathParam,
            Operator::Query | Operator::QueryContinuation => Class::Query,
            Operator::Reserved => Class::Reserved,
            Operator::Fragment => Class::Fragment,
        }
    }

    /// Whether expansion leaves reserved characters and existing triplets alone.
    fn reserved(self) -> bool {
        matches!(self, Class::Reserved | Class::Fragment)
    }
}

/// A placeholder edge: to the end of the current expression.
const EXIT: usize = usize::MAX;
/// A placeholder edge: to the first node of the next variable of the current expression.
const NEXT_VAR: usize = usize::MAX - 1;

/// Compiles a template for matching.
pub(super) fn compile(parts: &[Part], specs: &[VarSpec]) -> Vec<Node> {
    let mut nodes = Vec::new();
    for part in parts {
        match part {
            Part::Literal(text) => {
                let next = nodes.len() + 1;
                nodes.push(Node::Lit { text: text.as_str().into(), next });
            }
            Part::Expression(operator, range) => {
                let start = nodes.len();
                compile_expression(&mut nodes, *operator, range.clone(), specs);
                let end = nodes.len();
                patch(nodes.get_mut(start..).unwrap_or_default(), EXIT, end);
            }
        }
    }
    nodes.push(Node::Accept);
    nodes
}

/// Appends the nodes of one expression; its exits are left as [`EXIT`].
fn compile_expression(
    nodes: &mut Vec<Node>,
    operator: Operator,
    range: Range<usize>,
    specs: &[VarSpec],
) {
    let class = Class::of(operator);
    let lit = |text: &str, next: usize| Node::Lit { text: text.into(), next };
    match operator {
        // v1,v2,...: all required, non-empty.
        Operator::Simple | Operator::Reserved => {
            for (k, spec) in range.enumerate() {
                let start = nodes.len();
                if k > 0 {
                    nodes.push(lit(",", start + 1));
                }
                push_value(nodes, spec, specs, class, 1, ",", NEXT_VAR);
                let end = nodes.len();
                patch(nodes.get_mut(start..).unwrap_or_default(), NEXT_VAR, end);
            }
        }
        // Each variable optional, items in order, values may be empty. The earliest variable
        // that can take an item takes it. For `#`, where the first item is led by `#` and the
        // others by `,`, each variable but the first has two copies: one for before any item,
        // one for after.
        Operator::Fragment | Operator::Label | Operator::Path => {
            let vars: Vec<usize> = range.collect();
            let twin = operator.first() != operator.separator();
            let size = |spec: usize| match specs.get(spec) {
                Some(var) if var.modifier == Modifier::Explode => 5,
                _ => 3,
            };
            // Where each variable's copies start.
            let (mut before, mut after) = (Vec::new(), Vec::new());
            let mut at = nodes.len();
            for (k, &spec) in vars.iter().enumerate() {
                before.push(at);
                after.push(at);
                at += size(spec);
                if twin && k > 0 {
                    if let Some(last) = after.last_mut() {
                        *last = at;
                    }
                    at += size(spec);
                }
            }
            for (k, &spec) in vars.iter().enumerate() {
                let next_before = before.get(k + 1).copied().unwrap_or(EXIT);
                let next_after = after.get(k + 1).copied().unwrap_or(EXIT);
                let copies: &[(&str, usize)] = if twin && k > 0 {
                    &[(operator.first(), next_before), (operator.separator(), next_after)]
                } else if k > 0 {
                    &[(operator.separator(), next_after)]
                } else {
                    &[(operator.first(), next_before)]
                };
                for &(lead, skip) in copies {
                    let start = nodes.len();
                    nodes.push(Node::Alt { options: Box::new([start + 1, skip]) });
                    nodes.push(lit(lead, start + 2));
                    push_value(nodes, spec, specs, class, 0, operator.separator(), next_after);
                }
            }
        }
        // (;name(=value)?)? for each variable, in order. A bare `;name` goes through a
        // value node that takes nothing, so that the empty value is recorded.
        Operator::PathParam => {
            for spec in range {
                let start = nodes.len();
                let Some(var) = specs.get(spec) else { continue };
                let explode = var.modifier == Modifier::Explode;
                let item = [";", var.name.as_str()].concat();
                let eq = start + 2;
                let after = if explode { start + 6 } else { NEXT_VAR };
                nodes.push(Node::Alt { options: Box::new([start + 1, NEXT_VAR]) });
                nodes.push(lit(&item, eq));
                nodes.push(Node::Alt { options: Box::new([eq + 1, eq + 3]) });
                nodes.push(lit("=", eq + 2));
                nodes.push(value_node(spec, var, class, 1, after));
                nodes.push(Node::Value { spec, class, min: 0, max: Some(0), next: after });
                if explode {
                    nodes.push(Node::Alt { options: Box::new([after + 1, NEXT_VAR]) });
                    nodes.push(lit(&item, eq));
                }
                let end = nodes.len();
                patch(nodes.get_mut(start..).unwrap_or_default(), NEXT_VAR, end);
            }
        }
        // (first pair (& pair)*)?, pair = name=value for any of the variables.
        Operator::Query | Operator::QueryContinuation => {
            let start = nodes.len();
            let pair = start + 2;
            let count = range.len();
            let after = pair + 1 + 2 * count;
            nodes.push(Node::Alt { options: Box::new([start + 1, EXIT]) });
            nodes.push(lit(operator.first(), pair));
            nodes.push(Node::Alt { options: (0..count).map(|k| pair + 1 + 2 * k).collect() });
            for spec in range {
                let Some(var) = specs.get(spec) else { continue };
                let name = [var.name.as_str(), "="].concat();
                let value = nodes.len() + 1;
                nodes.push(lit(&name, value));
                nodes.push(value_node(spec, var, class, 0, after));
            }
            nodes.push(Node::Alt { options: Box::new([after + 1, EXIT]) });
            nodes.push(lit("&", pair));
        }
    }
}

/// Appends a value of `specs[spec]` (one node) and, if it is exploded, the loop that takes
/// more items separated by `separator` (two more); goes on to `then`.
#[allow(clippy::too_many_arguments)]
fn push_value(
    nodes: &mut Vec<Node>,
    spec: usize,
    specs: &[VarSpec],
    class: Class,
    min: usize,
    separator: &str,
    then: usize,
) {
    let Some(var) = specs.get(spec) else { return };
    let value = nodes.len();
    if var.modifier == Modifier::Explode {
        nodes.push(value_node(spec, var, class, min, value + 1));
        nodes.push(Node::Alt { options: Box::new([value + 2, then]) });
        nodes.push(Node::Lit { text: separator.into(), next: value });
    } else {
        nodes.push(value_node(spec, var, class, min, then));
    }
}

fn value_node(spec: usize, var: &VarSpec, class: Class, min: usize, next: usize) -> Node {
    let max = match var.modifier {
        Modifier::Prefix(length) => Some(length),
        _ => None,
    };
    Node::Value { spec, class, min, max, next }
}

/// Redirects every edge to `from` in `nodes` to `to`.
fn patch(nodes: &mut [Node], from: usize, to: usize) {
    for node in nodes {
        match node {
            Node::Lit { next, .. } | Node::Value { next, .. } => {
                if *next == from {
                    *next = to;
                }
            }
            Node::Alt { options } => {
                for option in options.iter_mut().filter(|option| **option == from) {
                    *option = to;
                }
            }
            Node::Accept => {}
        }
    }
}

/// One unit of the URI.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Unit {
    /// A character as itself.
    Raw(char),
    /// A percent-encoded UTF-8 character.
    Encoded(char),
    /// A `%` without two hex digits, or triplets that do not encode one UTF-8 character.
    Malformed,
}

/// The URI cut into units.
pub(super) struct Units<'a> {
    uri: &'a str,
    /// The byte offset of each unit, then the length of the URI.
    offsets: Vec<usize>,
    /// For each byte offset up to the length of the URI, the unit that starts there, if any.
    starts: Vec<Option<u32>>,
    pub(super) units: Vec<Unit>,
}

impl<'a> Units<'a> {
    pub(super) fn new(uri: &'a str) -> Self {
        let bytes = uri.as_bytes();
        let mut offsets = Vec::new();
        let mut units = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            offsets.push(i);
            if bytes.get(i) != Some(&b'%') {
                let Some(c) = uri.get(i..).and_then(|rest| rest.chars().next()) else { break };
                units.push(Unit::Raw(c));
                i += c.len_utf8();
                continue;
            }
            let Some(lead) = hex_pair(bytes, i + 1) else {
                units.push(Unit::Malformed);
                i += 1;
                continue;
            };
            i += 3;
            let mut buf = [lead, 0, 0, 0];
            let mut len = 1;
            if lead >= 0x80 {
                // Gather the continuation bytes (also after a stray one, which is malformed).
                while bytes.get(i) == Some(&b'%') {
                    match hex_pair(bytes, i + 1) {
                        Some(b) if b & 0xc0 == 0x80 => {
                            if let Some(slot) = buf.get_mut(len) {
                                *slot = b;
                            }
                            len += 1;
                            i += 3;
                        }
                        _ => break,
                    }
                }
            }
            let decoded = buf.get(..len).and_then(|b| core::str::from_utf8(b).ok());
            let mut chars = decoded.unwrap_or_default().chars();
            units.push(match (chars.next(), chars.next()) {
                (Some(c), None) => Unit::Encoded(c),
                _ => Unit::Malformed,
            });
        }
        offsets.push(bytes.len());
        let mut starts = vec![None; bytes.len() + 1];
        for (unit, &offset) in offsets.iter().enumerate() {
            if let (Some(slot), Ok(unit)) = (starts.get_mut(offset), u32::try_from(unit)) {
                *slot = Some(unit);
            }
        }
        Units { uri, offsets, starts, units }
    }

    /// The number of units.
    pub(super) fn len(&self) -> usize {
        self.units.len()
    }

    /// If `text` (a node's ASCII literal) appears in the URI at unit `at`, the unit after it.
    ///
    /// Hex digits of triplets compare without regard to case, and a raw non-ASCII character
    /// of the URI matches its percent-encoded form in `text`.
    pub(super) fn literal_end(&self, at: usize, text: &str) -> Option<usize> {
        let uri = self.uri.as_bytes();
        let text = text.as_bytes();
        let mut i = *self.offsets.get(at)?;
        let mut j = 0;
        while let Some(&t) = text.get(j) {
            let u = *uri.get(i)?;
            if t != b'%' {
                if t != u {
                    return None;
                }
                i += 1;
                j += 1;
            } else if u == b'%' {
                if hex_pair(uri, i + 1)? != hex_pair(text, j + 1)? {
                    return None;
                }
                i += 3;
                j += 3;
            } else if u >= 0x80 {
                let c = self.uri.get(i..)?.chars().next()?;
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    if text.get(j) != Some(&b'%') || hex_pair(text, j + 1)? != b {
                        return None;
                    }
                    j += 3;
                }
                i += c.len_utf8();
            } else {
                return None;
            }
        }
        let unit = (*self.starts.get(i)?)?;
        usize::try_from(unit).ok()
    }

    /// The text of units `range`.
    fn text(&self, range: Range<usize>) -> &str {
        let start = self.offsets.get(range.start).copied().unwrap_or(0);
        let end = self.offsets.get(range.end).copied().unwrap_or(0);
        self.uri.get(start..end).unwrap_or_default()
    }
}

/// Which characters a value may hold raw (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    /// Only those expansion leaves unencoded.
    Strict,
    /// All but the ones that delimit the value.
    Lenient,
}

/// Whether a value of `class` may hold `unit`.
pub(super) fn allows(class: Class, mode: Mode, unit: Unit) -> bool {
    match unit {
        Unit::Malformed => false,
        Unit::Encoded(_) => true,
        Unit::Raw(c) => match mode {
            Mode::Strict => is_unreserved(c) || (class.reserved() && is_reserved(c)),
            Mode::Lenient => match class {
                Class::Plain => !matches!(c, '/' | '?' | '#'),
                Class::PathParam => !matches!(c, '/' | '?' | '#' | ';'),
                Class::Query => !matches!(c, '&' | '#'),
                Class::Reserved | Class::Fragment => true,
            },
        },
    }
}

/// Whether `unit` stays percent-encoded in a value of `class`: a triplet for a reserved or
/// unreserved character in a `+` or `#` expression, which expansion would have passed
/// through as it was in the variable's value.
fn kept_encoded(class: Class, unit: Unit) -> bool {
    class.reserved() && matches!(unit, Unit::Encoded(c) if is_unreserved(c) || is_reserved(c))
}

/// Whether unit `at` stays percent-encoded in a value of `class` that ends before unit `end`:
/// [`kept_encoded`], or a `%25` in a `+` or `#` value followed, in the value, by two raw hex
/// digits (decoded, it would read as a triplet that expansion passes through unchanged).
fn stays_encoded(units: &Units<'_>, class: Class, at: usize, end: usize) -> bool {
    let Some(&unit) = units.units.get(at) else { return false };
    let raw_hex =
        |g: usize| matches!(units.units.get(g), Some(Unit::Raw(c)) if c.is_ascii_hexdigit());
    kept_encoded(class, unit)
        || (class.reserved()
            && unit == Unit::Encoded('%')
            && at + 3 <= end
            && raw_hex(at + 1)
            && raw_hex(at + 2))
}

/// How many characters unit `at` adds to a value of `class` that ends before unit `end`.
///
/// For a given start, the length of a value only grows with its end, and for a given end it
/// only grows as the start moves back: what the sliding windows of the table fill rely on.
pub(super) fn width(units: &Units<'_>, class: Class, at: usize, end: usize) -> u32 {
    if stays_encoded(units, class, at, end) { 3 } else { 1 }
}

/// For each node and each unit position, whether the node matches the URI from there to
/// its end.
pub(super) struct Table {
    /// Words per node.
    words: usize,
    bits: Vec<u64>,
}

impl Table {
    pub(super) fn get(&self, node: usize, at: usize) -> bool {
        let index = node.saturating_mul(self.words).saturating_add(at / 64);
        self.bits.get(index).is_some_and(|word| word >> (at % 64) & 1 == 1)
    }

    fn set(&mut self, node: usize, at: usize) {
        let index = node.saturating_mul(self.words).saturating_add(at / 64);
        if let Some(word) = self.bits.get_mut(index) {
            *word |= 1 << (at % 64);
        }
    }
}

/// The state of a [`Node::Value`] while the table is filled, from the last position down.
///
/// At position `g` the value may end at any `e` in `g + min ..= lim(g)`, where `lim(g)` is the
/// lesser of `stop` (the first unit from `g` on that the class does not allow) and `reach`
/// (the furthest end within `max` characters). Both only decrease as `g` does, so the window
/// `lo ..= hi` of possible ends slides, and `count` keeps how many ends in it let `next` match.
#[derive(Clone, Copy)]
struct Window {
    stop: usize,
    reach: usize,
    width: u32,
    lo: usize,
    hi: usize,
    count: usize,
}

/// Fills the table for `mode`.
pub(super) fn fill(nodes: &[Node], units: &Units<'_>, mode: Mode) -> Table {
    let n = units.len();
    let words = n / 64 + 1;
    let mut table = Table { words, bits: vec![0; words.saturating_mul(nodes.len())] };
    let empty = Window { stop: n, reach: n, width: 0, lo: n + 1, hi: n, count: 0 };
    let mut windows = vec![empty; nodes.len()];
    for g in (0..=n).rev() {
        let unit = units.units.get(g).copied();
        for (index, node) in nodes.iter().enumerate().rev() {
            let matched =
                match node {
                    Node::Accept => g == n,
                    Node::Lit { text, next } => {
                        units.literal_end(g, text).is_some_and(|end| table.get(*next, end))
                    }
                    Node::Alt { options } => options.iter().any(|&option| table.get(option, g)),
                    Node::Value { class, min, max, next, .. } => {
                        let Some(w) = windows.get_mut(index) else { continue };
                        if let Some(unit) = unit {
                            if !allows(*class, mode, unit) {
                                w.stop = g;
                            }
                            if let Some(max) = max {
                                // `width` is the length of units `g..reach`.
                                w.width += width(units, *class, g, w.reach);
                                while w.width > u32::from(*max) && w.reach > g {
                                    let r = w.reach;
                                    let mut less = width(units, *class, r - 1, r);
                                    // Only a `%25` three units before the end depends on the end.
                                    if r >= g + 3 {
                                        less += width(units, *class, r - 3, r)
                                            .saturating_sub(width(units, *class, r - 3, r - 1));
                                    }
                                    w.width = w.width.saturating_sub(less);
                                    w.reach = r - 1;
                                }
                            }
                        }
                        let hi = w.stop.min(w.reach);
                        let lo = g + min;
                        while w.hi > hi {
                            if w.hi >= w.lo && table.get(*next, w.hi) {
                                w.count = w.count.saturating_sub(1);
                            }
                            w.hi -= 1;
                        }
                        while w.lo > lo {
                            w.lo -= 1;
                            if w.lo <= w.hi && table.get(*next, w.lo) {
                                w.count += 1;
                            }
                        }
                        w.count > 0
                    }
                };
            if matched {
                table.set(index, g);
            }
        }
    }
    table
}

/// Matches `uri` against a compiled template.
pub(super) fn matches(
    nodes: &[Node],
    specs: &[VarSpec],
    uri: &str,
) -> Option<BTreeMap<String, String>> {
    if uri.len() > MAX_MATCH_URI_LEN {
        return None;
    }
    let units = Units::new(uri);
    run(nodes, specs, &units, Mode::Strict).or_else(|| {
        // The lenient pass can only differ where a value class allows a unit leniently only.
        let mut classes: Vec<Class> = Vec::new();
        for node in nodes {
            if let Node::Value { class, .. } = *node {
                if !classes.contains(&class) {
                    classes.push(class);
                }
            }
        }
        let differs = units.units.iter().any(|&unit| {
            classes.iter().any(|&class| {
                allows(class, Mode::Lenient, unit) && !allows(class, Mode::Strict, unit)
            })
        });
        if differs { run(nodes, specs, &units, Mode::Lenient) } else { None }
    })
}

/// One matching pass.
pub(super) fn run(
    nodes: &[Node],
    specs: &[VarSpec],
    units: &Units<'_>,
    mode: Mode,
) -> Option<BTreeMap<String, String>> {
    let table = fill(nodes, units, mode);
    if !table.get(0, 0) {
        return None;
    }
    let n = units.len();
    // Each value the walk takes: the variable reference and the decoded text.
    let mut captures: Vec<(usize, String)> = Vec::new();
    let (mut node, mut g) = (0, 0);
    // Every step consumes input or moves to a higher node; this bound is never reached.
    let mut steps = (n + 2).saturating_mul(nodes.len() + 1);
    loop {
        steps = steps.checked_sub(1)?;
        match nodes.get(node)? {
            Node::Accept if g == n => break,
            Node::Accept => return None,
            Node::Lit { text, next } => {
                g = units.literal_end(g, text)?;
                node = *next;
            }
            Node::Alt { options } => {
                node = *options.iter().find(|&&option| table.get(option, g))?;
            }
            Node::Value { spec, class, min, max, next } => {
                let end = value_end(units, &table, g, *class, mode, *min, *max, *next)?;
                captures.push((*spec, decode(units, g..end, *class)?));
                g = end;
                node = *next;
            }
        }
    }
    collect(specs, captures)
}

/// Where the value that starts at `g` ends: the furthest end that lets `next` match (for
/// [`Class::Reserved`], the furthest before the first raw `?` or `#` if there is one).
#[allow(clippy::too_many_arguments)]
fn value_end(
    units: &Units<'_>,
    table: &Table,
    g: usize,
    class: Class,
    mode: Mode,
    min: usize,
    max: Option<u16>,
    next: usize,
) -> Option<usize> {
    let mut lim = g;
    let mut length = 0u32;
    let mut delimiter = None;
    while let Some(&unit) = units.units.get(lim) {
        if !allows(class, mode, unit) {
            break;
        }
        if let Some(max) = max {
            // The length of units `g..lim + 1`, from that of `g..lim`.
            let mut longer = length + width(units, class, lim, lim + 1);
            if lim >= g + 2 {
                longer += width(units, class, lim - 2, lim + 1).saturating_sub(width(
                    units,
                    class,
                    lim - 2,
                    lim,
                ));
            }
            if longer > u32::from(max) {
                break;
            }
            length = longer;
        }
        if delimiter.is_none() && matches!(unit, Unit::Raw('?' | '#')) {
            delimiter = Some(lim);
        }
        lim += 1;
    }
    let lo = g + min;
    let best = |from: usize, to: usize| (from..=to).rev().find(|&e| table.get(next, e));
    match delimiter {
        Some(cut) if class == Class::Reserved => {
            best(lo, cut).or_else(|| best(lo.max(cut + 1), lim))
        }
        _ => best(lo, lim),
    }
}

/// The decoded text of units `range`, in a value of `class`, but for the units that
/// [stay encoded](stays_encoded).
fn decode(units: &Units<'_>, range: Range<usize>, class: Class) -> Option<String> {
    let mut out = String::new();
    for g in range.clone() {
        match *units.units.get(g)? {
            Unit::Raw(c) => out.push(c),
            Unit::Encoded(c) => {
                if stays_encoded(units, class, g, range.end) {
                    out.push_str(units.text(g..g + 1));
                } else {
                    out.push(c);
                }
            }
            Unit::Malformed => return None,
        }
    }
    Some(out)
}

/// Turns the values taken, in order, into the variables: the items of an exploded reference
/// joined by `,`; a reference that is not exploded may have one value, and a variable
/// referred to more than once must have the same value each time.
fn collect(specs: &[VarSpec], captures: Vec<(usize, String)>) -> Option<BTreeMap<String, String>> {
    let mut by_spec: BTreeMap<usize, String> = BTreeMap::new();
    for (spec, value) in captures {
        match by_spec.get_mut(&spec) {
            None => {
                by_spec.insert(spec, value);
            }
            Some(joined) if specs.get(spec)?.modifier == Modifier::Explode => {
                joined.push(',');
                joined.push_str(&value);
            }
            Some(_) => return None,
        }
    }
    let mut vars = BTreeMap::new();
    for (spec, value) in by_spec {
        let name = &specs.get(spec)?.name;
        match vars.get(name) {
            None => {
                vars.insert(name.clone(), value);
            }
            Some(existing) if *existing == value => {}
            Some(_) => return None,
        }
    }
    Some(vars)
}
