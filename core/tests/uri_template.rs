//! RFC 6570 URI templates: the RFC's examples, parse errors, MCP resource templates, the
//! matching rules, and round trips between expansion and matching.

use std::collections::BTreeMap;

use mcp_sansio::uri_template::{
    MAX_MATCH_URI_LEN, MAX_TEMPLATE_LEN, MAX_VARIABLES, UriTemplate, UriTemplateErrorKind as Kind,
    Value,
};
use proptest::prelude::*;

/// The variables of RFC 6570 sections 1.2, 2.4 and 3.2.
fn rfc_vars() -> BTreeMap<&'static str, Value> {
    let list = |items: &[&str]| Value::List(items.iter().map(|s| s.to_string()).collect());
    let mut vars = BTreeMap::new();
    vars.insert("count", list(&["one", "two", "three"]));
    vars.insert("dom", list(&["example", "com"]));
    vars.insert("dub", "me/too".into());
    vars.insert("hello", "Hello World!".into());
    vars.insert("half", "50%".into());
    vars.insert("var", "value".into());
    vars.insert("who", "fred".into());
    vars.insert("base", "http://example.com/home/".into());
    vars.insert("path", "/foo/bar".into());
    vars.insert("list", list(&["red", "green", "blue"]));
    vars.insert(
        "keys",
        Value::Map(vec![
            ("semi".into(), ";".into()),
            ("dot".into(), ".".into()),
            ("comma".into(), ",".into()),
        ]),
    );
    vars.insert("v", "6".into());
    vars.insert("x", "1024".into());
    vars.insert("y", "768".into());
    vars.insert("empty", "".into());
    vars.insert("empty_keys", Value::Map(vec![]));
    vars.insert("empty_list", Value::List(vec![]));
    vars.insert("semi", ";".into());
    vars.insert("year", list(&["1965", "2000", "2012"]));
    vars
}

/// Expands each template with [`rfc_vars`] and compares; reports every mismatch at once.
fn check_expansions(cases: &[(&str, &str)]) {
    let vars = rfc_vars();
    let mut failures = Vec::new();
    for &(template, expected) in cases {
        let got = UriTemplate::parse(template).unwrap().expand(&vars);
        if got != expected {
            failures.push(format!("{template}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rfc_section_1_2_levels() {
    check_expansions(&[
        // Level 1
        ("{var}", "value"),
        ("{hello}", "Hello%20World%21"),
        // Level 2
        ("{+var}", "value"),
        ("{+hello}", "Hello%20World!"),
        ("{+path}/here", "/foo/bar/here"),
        ("here?ref={+path}", "here?ref=/foo/bar"),
        ("X{#var}", "X#value"),
        ("X{#hello}", "X#Hello%20World!"),
        // Level 3
        ("map?{x,y}", "map?1024,768"),
        ("{x,hello,y}", "1024,Hello%20World%21,768"),
        ("{+x,hello,y}", "1024,Hello%20World!,768"),
        ("{+path,x}/here", "/foo/bar,1024/here"),
        ("{#x,hello,y}", "#1024,Hello%20World!,768"),
        ("{#path,x}/here", "#/foo/bar,1024/here"),
        ("X{.var}", "X.value"),
        ("X{.x,y}", "X.1024.768"),
        ("{/var}", "/value"),
        ("{/var,x}/here", "/value/1024/here"),
        ("{;x,y}", ";x=1024;y=768"),
        ("{;x,y,empty}", ";x=1024;y=768;empty"),
        ("{?x,y}", "?x=1024&y=768"),
        ("{?x,y,empty}", "?x=1024&y=768&empty="),
        ("?fixed=yes{&x}", "?fixed=yes&x=1024"),
        ("{&x,y,empty}", "&x=1024&y=768&empty="),
        // Level 4
        ("{var:3}", "val"),
        ("{var:30}", "value"),
        ("{list}", "red,green,blue"),
        ("{list*}", "red,green,blue"),
        ("{keys}", "semi,%3B,dot,.,comma,%2C"),
        ("{keys*}", "semi=%3B,dot=.,comma=%2C"),
        ("{+path:6}/here", "/foo/b/here"),
        ("{+list}", "red,green,blue"),
        ("{+list*}", "red,green,blue"),
        ("{+keys}", "semi,;,dot,.,comma,,"),
        ("{+keys*}", "semi=;,dot=.,comma=,"),
        ("{#path:6}/here", "#/foo/b/here"),
        ("{#list}", "#red,green,blue"),
        ("{#list*}", "#red,green,blue"),
        ("{#keys}", "#semi,;,dot,.,comma,,"),
        ("{#keys*}", "#semi=;,dot=.,comma=,"),
        ("X{.var:3}", "X.val"),
        ("X{.list}", "X.red,green,blue"),
        ("X{.list*}", "X.red.green.blue"),
        ("X{.keys}", "X.semi,%3B,dot,.,comma,%2C"),
        ("X{.keys*}", "X.semi=%3B.dot=..comma=%2C"),
        ("{/var:1,var}", "/v/value"),
        ("{/list}", "/red,green,blue"),
        ("{/list*}", "/red/green/blue"),
        ("{/list*,path:4}", "/red/green/blue/%2Ffoo"),
        ("{/keys}", "/semi,%3B,dot,.,comma,%2C"),
        ("{/keys*}", "/semi=%3B/dot=./comma=%2C"),
        ("{;hello:5}", ";hello=Hello"),
        ("{;list}", ";list=red,green,blue"),
        ("{;list*}", ";list=red;list=green;list=blue"),
        ("{;keys}", ";keys=semi,%3B,dot,.,comma,%2C"),
        ("{;keys*}", ";semi=%3B;dot=.;comma=%2C"),
        ("{?var:3}", "?var=val"),
        ("{?list}", "?list=red,green,blue"),
        ("{?list*}", "?list=red&list=green&list=blue"),
        ("{?keys}", "?keys=semi,%3B,dot,.,comma,%2C"),
        ("{?keys*}", "?semi=%3B&dot=.&comma=%2C"),
        ("{&var:3}", "&var=val"),
        ("{&list}", "&list=red,green,blue"),
        ("{&list*}", "&list=red&list=green&list=blue"),
        ("{&keys}", "&keys=semi,%3B,dot,.,comma,%2C"),
        ("{&keys*}", "&semi=%3B&dot=.&comma=%2C"),
    ]);
}

#[test]
fn rfc_section_2_4_modifiers() {
    check_expansions(&[
        ("{var}", "value"),
        ("{var:20}", "value"),
        ("{var:3}", "val"),
        ("{semi}", "%3B"),
        ("{semi:2}", "%3B"),
        ("find{?year*}", "find?year=1965&year=2000&year=2012"),
        ("www{.dom*}", "www.example.com"),
    ]);
}

#[test]
fn rfc_section_3_2_1_variable_expansion() {
    check_expansions(&[
        ("{count}", "one,two,three"),
        ("{count*}", "one,two,three"),
        ("{/count}", "/one,two,three"),
        ("{/count*}", "/one/two/three"),
        ("{;count}", ";count=one,two,three"),
        ("{;count*}", ";count=one;count=two;count=three"),
        ("{?count}", "?count=one,two,three"),
        ("{?count*}", "?count=one&count=two&count=three"),
        ("{&count*}", "&count=one&count=two&count=three"),
    ]);
}

#[test]
fn rfc_section_3_2_2_simple() {
    check_expansions(&[
        ("{var}", "value"),
        ("{hello}", "Hello%20World%21"),
        ("{half}", "50%25"),
        ("O{empty}X", "OX"),
        ("O{undef}X", "OX"),
        ("{x,y}", "1024,768"),
        ("{x,hello,y}", "1024,Hello%20World%21,768"),
        ("?{x,empty}", "?1024,"),
        ("?{x,undef}", "?1024"),
        ("?{undef,y}", "?768"),
        ("{var:3}", "val"),
        ("{var:30}", "value"),
        ("{list}", "red,green,blue"),
        ("{list*}", "red,green,blue"),
        ("{keys}", "semi,%3B,dot,.,comma,%2C"),
        ("{keys*}", "semi=%3B,dot=.,comma=%2C"),
    ]);
}

#[test]
fn rfc_section_3_2_3_reserved() {
    check_expansions(&[
        ("{+var}", "value"),
        ("{+hello}", "Hello%20World!"),
        ("{+half}", "50%25"),
        ("{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex"),
        ("{+base}index", "http://example.com/home/index"),
        ("O{+empty}X", "OX"),
        ("O{+undef}X", "OX"),
        ("{+path}/here", "/foo/bar/here"),
        ("here?ref={+path}", "here?ref=/foo/bar"),
        ("up{+path}{var}/here", "up/foo/barvalue/here"),
        ("{+x,hello,y}", "1024,Hello%20World!,768"),
        ("{+path,x}/here", "/foo/bar,1024/here"),
        ("{+path:6}/here", "/foo/b/here"),
        ("{+list}", "red,green,blue"),
        ("{+list*}", "red,green,blue"),
        ("{+keys}", "semi,;,dot,.,comma,,"),
        ("{+keys*}", "semi=;,dot=.,comma=,"),
    ]);
}

#[test]
fn rfc_section_3_2_4_fragment() {
    check_expansions(&[
        ("{#var}", "#value"),
        ("{#hello}", "#Hello%20World!"),
        ("{#half}", "#50%25"),
        ("foo{#empty}", "foo#"),
        ("foo{#undef}", "foo"),
        ("{#x,hello,y}", "#1024,Hello%20World!,768"),
        ("{#path,x}/here", "#/foo/bar,1024/here"),
        ("{#path:6}/here", "#/foo/b/here"),
        ("{#list}", "#red,green,blue"),
        ("{#list*}", "#red,green,blue"),
        ("{#keys}", "#semi,;,dot,.,comma,,"),
        ("{#keys*}", "#semi=;,dot=.,comma=,"),
    ]);
}

#[test]
fn rfc_section_3_2_5_label() {
    check_expansions(&[
        ("{.who}", ".fred"),
        ("{.who,who}", ".fred.fred"),
        ("{.half,who}", ".50%25.fred"),
        ("www{.dom*}", "www.example.com"),
        ("X{.var}", "X.value"),
        ("X{.empty}", "X."),
        ("X{.undef}", "X"),
        ("X{.var:3}", "X.val"),
        ("X{.list}", "X.red,green,blue"),
        ("X{.list*}", "X.red.green.blue"),
        ("X{.keys}", "X.semi,%3B,dot,.,comma,%2C"),
        ("X{.keys*}", "X.semi=%3B.dot=..comma=%2C"),
        ("X{.empty_keys}", "X"),
        ("X{.empty_keys*}", "X"),
    ]);
}

#[test]
fn rfc_section_3_2_6_path_segment() {
    check_expansions(&[
        ("{/who}", "/fred"),
        ("{/who,who}", "/fred/fred"),
        ("{/half,who}", "/50%25/fred"),
        ("{/who,dub}", "/fred/me%2Ftoo"),
        ("{/var}", "/value"),
        ("{/var,empty}", "/value/"),
        ("{/var,undef}", "/value"),
        ("{/var,x}/here", "/value/1024/here"),
        ("{/var:1,var}", "/v/value"),
        ("{/list}", "/red,green,blue"),
        ("{/list*}", "/red/green/blue"),
        ("{/list*,path:4}", "/red/green/blue/%2Ffoo"),
        ("{/keys}", "/semi,%3B,dot,.,comma,%2C"),
        ("{/keys*}", "/semi=%3B/dot=./comma=%2C"),
    ]);
}

#[test]
fn rfc_section_3_2_7_path_style_parameters() {
    check_expansions(&[
        ("{;who}", ";who=fred"),
        ("{;half}", ";half=50%25"),
        ("{;empty}", ";empty"),
        ("{;v,empty,who}", ";v=6;empty;who=fred"),
        ("{;v,bar,who}", ";v=6;who=fred"),
        ("{;x,y}", ";x=1024;y=768"),
        ("{;x,y,empty}", ";x=1024;y=768;empty"),
        ("{;x,y,undef}", ";x=1024;y=768"),
        ("{;hello:5}", ";hello=Hello"),
        ("{;list}", ";list=red,green,blue"),
        ("{;list*}", ";list=red;list=green;list=blue"),
        ("{;keys}", ";keys=semi,%3B,dot,.,comma,%2C"),
        ("{;keys*}", ";semi=%3B;dot=.;comma=%2C"),
    ]);
}

#[test]
fn rfc_section_3_2_8_form_style_query() {
    check_expansions(&[
        ("{?who}", "?who=fred"),
        ("{?half}", "?half=50%25"),
        ("{?x,y}", "?x=1024&y=768"),
        ("{?x,y,empty}", "?x=1024&y=768&empty="),
        ("{?x,y,undef}", "?x=1024&y=768"),
        ("{?var:3}", "?var=val"),
        ("{?list}", "?list=red,green,blue"),
        ("{?list*}", "?list=red&list=green&list=blue"),
        ("{?keys}", "?keys=semi,%3B,dot,.,comma,%2C"),
        ("{?keys*}", "?semi=%3B&dot=.&comma=%2C"),
    ]);
}

#[test]
fn rfc_section_3_2_9_form_style_query_continuation() {
    check_expansions(&[
        ("{&who}", "&who=fred"),
        ("{&half}", "&half=50%25"),
        ("?fixed=yes{&x}", "?fixed=yes&x=1024"),
        ("{&x,y,empty}", "&x=1024&y=768&empty="),
        ("{&var:3}", "&var=val"),
        ("{&list}", "&list=red,green,blue"),
        ("{&list*}", "&list=red&list=green&list=blue"),
        ("{&keys}", "&keys=semi,%3B,dot,.,comma,%2C"),
        ("{&keys*}", "&semi=%3B&dot=.&comma=%2C"),
    ]);
}

#[test]
fn expansion_details() {
    check_expansions(&[
        // Empty lists and maps count as undefined, everywhere.
        ("X{empty_list}Y{;empty_keys*}{?empty_list}", "XY"),
        // A prefix on a list or a map is ignored.
        ("{list:2}", "red,green,blue"),
    ]);
    // Prefixes count characters, not bytes; `+` keeps existing triplets, encodes a lone `%`.
    let t = UriTemplate::parse("{x:2}/{+y}/{z}").unwrap();
    assert_eq!(
        t.expand(&[("x", "héllo"), ("y", "%2F%zz%"), ("z", "%2F")]),
        "h%C3%A9/%2F%25zz%25/%252F"
    );
    // Literal text: non-ASCII is percent-encoded, triplets kept as written.
    let t = UriTemplate::parse("café/%7e{x}").unwrap();
    assert_eq!(t.expand(&[("x", "1")]), "caf%C3%A9/%7e1");
    // Empty map values: `;` writes the bare key, `?` the key and `=`, unnamed operators `k=`.
    let mut vars = BTreeMap::new();
    vars.insert("m", Value::Map(vec![("a".into(), "".into()), ("b".into(), "1".into())]));
    let expand = |template: &str| UriTemplate::parse(template).unwrap().expand(&vars);
    assert_eq!(expand("{;m*}"), ";a;b=1");
    assert_eq!(expand("{?m*}"), "?a=&b=1");
    assert_eq!(expand("{m*}"), "a=,b=1");
    assert_eq!(expand("{m}"), "a,,b,1");
    // Every kind of VarSource.
    let t = UriTemplate::parse("{a}{b}").unwrap();
    let strings: BTreeMap<String, String> = [("a".into(), "1".into())].into();
    let strs: BTreeMap<&str, &str> = [("b", "2")].into();
    assert_eq!(t.expand(&strings), "1");
    assert_eq!(t.expand(&strs), "2");
    assert_eq!(t.expand(&&strs), "2");
    assert_eq!(t.expand([("a", "x"), ("b", "y")].as_slice()), "xy");
}

#[test]
fn parse_accessors_and_display() {
    let text = "weather://{city}/current{?units,city}{&lang}";
    let t: UriTemplate = text.parse().unwrap();
    assert_eq!(t.as_str(), text);
    assert_eq!(t.to_string(), text);
    assert_eq!(t.variables().collect::<Vec<_>>(), ["city", "units", "lang"]);
    assert_eq!(t, UriTemplate::parse(text).unwrap());
    assert_eq!(format!("{t:?}"), format!("UriTemplate({text:?})"));
    // Names may hold dots and percent-encoded triplets.
    let t = UriTemplate::parse("{a.b,%41_9}").unwrap();
    assert_eq!(t.variables().collect::<Vec<_>>(), ["a.b", "%41_9"]);
    // A template without expressions, and the empty one.
    assert_eq!(UriTemplate::parse("").unwrap().expand(&BTreeMap::<String, String>::new()), "");
    assert_eq!(UriTemplate::parse("a:b/c?d=e#f").unwrap().variables().count(), 0);
    // Every literal character RFC 6570 allows, and some allowed non-ASCII ones.
    let all = "!#$&()*+,-./09:;=?@AZ[]_az~\u{a0}\u{d7ff}\u{e000}\u{10000}\u{10fffd}";
    assert!(UriTemplate::parse(all).is_ok());
}

#[test]
fn parse_errors() {
    let cases: &[(&str, usize, Kind)] = &[
        ("{", 0, Kind::UnclosedExpression),
        ("a{b", 1, Kind::UnclosedExpression),
        ("a{b,", 1, Kind::UnclosedExpression),
        ("a{+", 1, Kind::UnclosedExpression),
        ("{b:3", 0, Kind::UnclosedExpression),
        ("{}", 1, Kind::InvalidVariableName),
        ("{+}", 2, Kind::InvalidVariableName),
        ("{a,}", 3, Kind::InvalidVariableName),
        ("{a.}", 2, Kind::InvalidVariableName),
        ("{a..b}", 2, Kind::InvalidVariableName),
        ("{..a}", 2, Kind::InvalidVariableName),
        ("{a-b}", 2, Kind::UnexpectedChar('-')),
        ("{a b}", 2, Kind::UnexpectedChar(' ')),
        ("{a{b}}", 2, Kind::UnexpectedChar('{')),
        ("{aé}", 2, Kind::UnexpectedChar('é')),
        ("{a*b}", 3, Kind::UnexpectedChar('b')),
        ("{a:3*}", 4, Kind::UnexpectedChar('*')),
        ("{=a}", 1, Kind::ReservedOperator('=')),
        ("{,a}", 1, Kind::ReservedOperator(',')),
        ("{!a}", 1, Kind::ReservedOperator('!')),
        ("{@a}", 1, Kind::ReservedOperator('@')),
        ("{|a}", 1, Kind::ReservedOperator('|')),
        ("{a:0}", 3, Kind::InvalidPrefix),
        ("{a:01}", 3, Kind::InvalidPrefix),
        ("{a:}", 3, Kind::InvalidPrefix),
        ("{a:x}", 3, Kind::InvalidPrefix),
        ("{a:10000}", 3, Kind::InvalidPrefix),
        ("{%4}", 1, Kind::InvalidPercentEncoding),
        ("{a%zz}", 2, Kind::InvalidPercentEncoding),
        ("a%", 1, Kind::InvalidPercentEncoding),
        ("a%4g", 1, Kind::InvalidPercentEncoding),
        ("a}", 1, Kind::InvalidLiteral('}')),
        ("a b", 1, Kind::InvalidLiteral(' ')),
        ("\"", 0, Kind::InvalidLiteral('"')),
        ("'", 0, Kind::InvalidLiteral('\'')),
        ("<>", 0, Kind::InvalidLiteral('<')),
        ("\\", 0, Kind::InvalidLiteral('\\')),
        ("^", 0, Kind::InvalidLiteral('^')),
        ("`", 0, Kind::InvalidLiteral('`')),
        ("|", 0, Kind::InvalidLiteral('|')),
        ("\n", 0, Kind::InvalidLiteral('\n')),
        ("\u{7f}", 0, Kind::InvalidLiteral('\u{7f}')),
        ("\u{85}", 0, Kind::InvalidLiteral('\u{85}')),
        ("é\u{fdd0}", 2, Kind::InvalidLiteral('\u{fdd0}')),
        ("\u{fffe}", 0, Kind::InvalidLiteral('\u{fffe}')),
        ("\u{1fffe}", 0, Kind::InvalidLiteral('\u{1fffe}')),
        ("\u{e0001}", 0, Kind::InvalidLiteral('\u{e0001}')),
    ];
    let mut failures = Vec::new();
    for &(template, position, kind) in cases {
        match UriTemplate::parse(template) {
            Ok(_) => failures.push(format!("{template:?}: parsed")),
            Err(e) if (e.position(), e.kind()) != (position, kind) => {
                failures.push(format!("{template:?}: got {:?} at {}", e.kind(), e.position()));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let e = UriTemplate::parse("x{a!b}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid URI template: unexpected character '!' in expression (at byte 3)"
    );
    assert_eq!(
        UriTemplate::parse("{=}").unwrap_err().to_string(),
        "invalid URI template: operator '=' is reserved (at byte 1)"
    );
}

#[test]
fn parse_limits() {
    let long = "a".repeat(MAX_TEMPLATE_LEN);
    assert!(UriTemplate::parse(&long).is_ok());
    let e = UriTemplate::parse(&(long + "a")).unwrap_err();
    assert_eq!((e.kind(), e.position()), (Kind::TooLong, MAX_TEMPLATE_LEN));

    let names: Vec<String> = (0..MAX_VARIABLES).map(|i| format!("v{i}")).collect();
    assert!(UriTemplate::parse(&format!("{{{}}}", names.join(","))).is_ok());
    let e = UriTemplate::parse(&format!("{{{},w}}{{x}}", names.join(","))).unwrap_err();
    assert_eq!(e.kind(), Kind::TooManyVariables);
    let e = UriTemplate::parse(&"{a}".repeat(MAX_VARIABLES + 1)).unwrap_err();
    assert_eq!((e.kind(), e.position()), (Kind::TooManyVariables, 3 * MAX_VARIABLES + 1));
}

/// `template.matches(uri)`, as a sorted list of pairs for short assertions.
fn matched(template: &str, uri: &str) -> Option<Vec<(String, String)>> {
    let t = UriTemplate::parse(template).unwrap();
    t.matches(uri).map(|vars| vars.into_iter().collect())
}

/// Pairs from string slices.
fn pairs(items: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
    Some(items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn mcp_resource_templates() {
    let t = "test://template/{id}/data";
    assert_eq!(matched(t, "test://template/123/data"), pairs(&[("id", "123")]));
    assert_eq!(matched(t, "test://template/123/data/"), None);
    assert_eq!(matched(t, "test://template//data"), None);
    assert_eq!(matched(t, "test://template/1/2/data"), None);
    assert_eq!(matched(t, "test://template/123/dat"), None);
    assert_eq!(matched(t, "test://other/123/data"), None);
    assert_eq!(matched(t, "test://template/a%2Fb/data"), pairs(&[("id", "a/b")]));

    assert_eq!(matched("file:///{path}", "file:///a/b"), None);
    assert_eq!(matched("file:///{path}", "file:///a"), pairs(&[("path", "a")]));
    assert_eq!(matched("file:///{+path}", "file:///a/b"), pairs(&[("path", "a/b")]));
    assert_eq!(matched("file:///{+path}", "file:///"), None);

    let t = "users://{userId}/profile";
    assert_eq!(matched(t, "users://42/profile"), pairs(&[("userId", "42")]));
    assert_eq!(
        matched(t, "users://ada%40example.com/profile"),
        pairs(&[("userId", "ada@example.com")])
    );
    assert_eq!(matched(t, "users://42/settings"), None);

    let t = "weather://{city}/current{?units}";
    assert_eq!(matched(t, "weather://Paris/current"), pairs(&[("city", "Paris")]));
    assert_eq!(
        matched(t, "weather://Paris/current?units=metric"),
        pairs(&[("city", "Paris"), ("units", "metric")])
    );
    assert_eq!(
        matched(t, "weather://Paris/current?units="),
        pairs(&[("city", "Paris"), ("units", "")])
    );
    assert_eq!(matched(t, "weather://Paris/current?"), None);
    assert_eq!(matched(t, "weather://Paris/current?units"), None);
    assert_eq!(matched(t, "weather://Paris/current?lang=fr"), None);
    assert_eq!(matched(t, "weather://Paris/current?units=a&units=b"), None);
    assert_eq!(matched(t, "weather://Paris/current?units=metric&lang=fr"), None);
    assert_eq!(matched(t, "weather://Paris/current#top"), None);

    assert_eq!(matched("greeting://{name}", "greeting://Alice%20B"), pairs(&[("name", "Alice B")]));
    assert_eq!(matched("greeting://{name}", "greeting://"), None);
}

#[test]
fn literals() {
    // Exact, except hex case in triplets and raw non-ASCII against its encoding.
    assert_eq!(matched("a%2Fb/{x}", "a%2fb/1"), pairs(&[("x", "1")]));
    assert_eq!(matched("a%2Fb/{x}", "a/b/1"), None);
    assert_eq!(matched("café/{x}", "caf%C3%A9/1"), pairs(&[("x", "1")]));
    assert_eq!(matched("café/{x}", "caf%c3%a9/1"), pairs(&[("x", "1")]));
    assert_eq!(matched("café/{x}", "café/1"), pairs(&[("x", "1")]));
    assert_eq!(matched("cafe/{x}", "Cafe/1"), None);
    assert_eq!(matched("static://thing", "static://thing"), pairs(&[]));
    assert_eq!(matched("static://thing", "static://thing2"), None);
    assert_eq!(matched("", ""), pairs(&[]));
    assert_eq!(matched("", "x"), None);
}

#[test]
fn simple_and_reserved_expressions() {
    // Values are greedy, but only as far as the rest still matches.
    assert_eq!(
        matched("file:///{name}.txt", "file:///my.notes.txt"),
        pairs(&[("name", "my.notes")])
    );
    assert_eq!(matched("{x}.{y}", "a.b.c"), pairs(&[("x", "a.b"), ("y", "c")]));
    assert_eq!(matched("{x,y}", "1024,768"), pairs(&[("x", "1024"), ("y", "768")]));
    assert_eq!(matched("{x,y}", "1024"), None);
    assert_eq!(matched("{x,y}", "1024,"), None);
    // A list comes back comma-joined; reserved characters are accepted leniently.
    assert_eq!(matched("{list}", "red,green,blue"), pairs(&[("list", "red,green,blue")]));
    assert_eq!(matched("{list*}", "red,green,blue"), pairs(&[("list", "red,green,blue")]));
    assert_eq!(matched("{id}", "a@b:c"), pairs(&[("id", "a@b:c")]));
    assert_eq!(matched("{id}", "a b"), pairs(&[("id", "a b")]));
    assert_eq!(matched("{id}", "a?b"), None);
    assert_eq!(matched("{id}", "a#b"), None);
    // Strict first: an encoded reading wins over a lenient one.
    assert_eq!(matched("{x}@{y}", "a%40b@c"), pairs(&[("x", "a@b"), ("y", "c")]));
    assert_eq!(matched("{x}@{y}", "a@b@c"), pairs(&[("x", "a@b"), ("y", "c")]));
    // Percent-decoding; malformed encodings never reach a value.
    assert_eq!(matched("{x}", "%E2%82%AC%f0%9f%98%80"), pairs(&[("x", "€😀")]));
    assert_eq!(matched("{x}", "50%25"), pairs(&[("x", "50%")]));
    for bad in ["%", "a%2", "%zz", "%FF", "%C3", "%C3a", "%A9", "%C3%A9%A9", "%C0%80", "%ED%A0%80"]
    {
        assert_eq!(matched("{x}", bad), None, "{bad}");
    }
    // `+` keeps triplets of reserved and unreserved characters, decodes the rest.
    assert_eq!(matched("{+x}", "a%2Fb%41%20c/d?e#f"), pairs(&[("x", "a%2Fb%41 c/d?e#f")]));
    // `+` prefers to stop before `?` or `#`.
    let t = "file:///{+path}{?rev}";
    assert_eq!(matched(t, "file:///a/b?rev=2"), pairs(&[("path", "a/b"), ("rev", "2")]));
    assert_eq!(matched(t, "file:///a/b?x=2"), pairs(&[("path", "a/b?x=2")]));
    assert_eq!(matched("{+a}#{+b}", "x#y#z"), pairs(&[("a", "x"), ("b", "y#z")]));
    // Prefixes limit the length in characters.
    assert_eq!(matched("{x:3}", "abc"), pairs(&[("x", "abc")]));
    assert_eq!(matched("{x:3}", "%C3%A9%C3%A9%C3%A9"), pairs(&[("x", "ééé")]));
    assert_eq!(matched("{x:3}", "abcd"), None);
    assert_eq!(matched("{x:3}{y}", "abcdef"), pairs(&[("x", "abc"), ("y", "def")]));
    assert_eq!(matched("{+x:3}", "%2F"), pairs(&[("x", "%2F")]));
    assert_eq!(matched("{+x:2}", "%2F"), None);
    // The same variable twice must agree.
    assert_eq!(matched("{x}/{x}", "a/a"), pairs(&[("x", "a")]));
    assert_eq!(matched("{x}/{x}", "a/b"), None);
    assert_eq!(matched("{x:1}/{x}", "v/value"), None);
}

#[test]
fn prefixed_expressions() {
    assert_eq!(matched("X{.var}", "X.value"), pairs(&[("var", "value")]));
    assert_eq!(matched("X{.var}", "X."), pairs(&[("var", "")]));
    assert_eq!(matched("X{.var}", "X"), pairs(&[]));
    // `.` may be part of a value, so a greedy first item takes it (and expands back to the
    // same URI, which "example,com" would not).
    assert_eq!(matched("www{.dom*}", "www.example.com"), pairs(&[("dom", "example.com")]));
    assert_eq!(matched("file{.ext}", "file.tar.gz"), pairs(&[("ext", "tar.gz")]));
    assert_eq!(matched("{/a,b}", "/x/y"), pairs(&[("a", "x"), ("b", "y")]));
    assert_eq!(matched("{/a,b}", "/x/"), pairs(&[("a", "x"), ("b", "")]));
    assert_eq!(matched("{/a,b}", "/x"), pairs(&[("a", "x")]));
    assert_eq!(matched("{/a,b}", ""), pairs(&[]));
    assert_eq!(matched("{/a,b}", "/x/y/z"), None);
    assert_eq!(matched("{/list*}", "/red/green/blue"), pairs(&[("list", "red,green,blue")]));
    assert_eq!(matched("{/var:1,var}", "/v/value"), None);
    assert_eq!(matched("{/v:1,w}", "/v/value"), pairs(&[("v", "v"), ("w", "value")]));
    assert_eq!(matched("{/a}/x", "/x"), pairs(&[]));
    assert_eq!(matched("{/a}/x", "/b/x"), pairs(&[("a", "b")]));
    assert_eq!(matched("{#a}", "#x/y?z"), pairs(&[("a", "x/y?z")]));
    // `,` is allowed in a `#` value and items are optional: the first takes it.
    assert_eq!(matched("{#a,b}", "#x,y"), pairs(&[("a", "x,y")]));
    assert_eq!(matched("{+a,b}", "x,y,z"), pairs(&[("a", "x,y"), ("b", "z")]));
    assert_eq!(matched("foo{#a}", "foo"), pairs(&[]));
    assert_eq!(matched("foo{#a}", "foo#"), pairs(&[("a", "")]));
}

#[test]
fn path_parameters() {
    let t = "{;v,empty,who}";
    assert_eq!(
        matched(t, ";v=6;empty;who=fred"),
        pairs(&[("empty", ""), ("v", "6"), ("who", "fred")])
    );
    assert_eq!(matched(t, ";v=6;who=fred"), pairs(&[("v", "6"), ("who", "fred")]));
    assert_eq!(matched(t, ""), pairs(&[]));
    // Template order; unknown names do not match.
    assert_eq!(matched(t, ";who=fred;v=6"), None);
    assert_eq!(matched(t, ";x=1"), None);
    assert_eq!(matched(t, ";v="), None);
    assert_eq!(matched("{;x,xy}", ";xy=1"), pairs(&[("xy", "1")]));
    assert_eq!(matched("{;list*}", ";list=red;list=green"), pairs(&[("list", "red,green")]));
    assert_eq!(matched("/a{;p}/b", "/a;p=1/b"), pairs(&[("p", "1")]));
    assert_eq!(matched("/a{;p}/b", "/a;p=1;q/b"), None);
}

#[test]
fn query_parameters() {
    let t = "search{?q,lang,page}";
    assert_eq!(matched(t, "search"), pairs(&[]));
    assert_eq!(
        matched(t, "search?page=2&q=rust%20mcp"),
        pairs(&[("page", "2"), ("q", "rust mcp")])
    );
    assert_eq!(matched(t, "search?q=a=b/c?d"), pairs(&[("q", "a=b/c?d")]));
    assert_eq!(matched(t, "search?q=1&q=2"), None);
    assert_eq!(matched(t, "search?q=1&&lang=en"), None);
    assert_eq!(matched(t, "search&q=1"), None);
    assert_eq!(matched(t, "search?Q=1"), None);
    assert_eq!(matched(t, "search?q=1#x"), None);
    assert_eq!(matched("{?list*}", "?list=a&list=b"), pairs(&[("list", "a,b")]));
    assert_eq!(matched("{?list}", "?list=a,b"), pairs(&[("list", "a,b")]));
    assert_eq!(matched("{?a}{&b}", "?a=1&b=2"), pairs(&[("a", "1"), ("b", "2")]));
    assert_eq!(matched("{?a}{&b}", "&b=2"), pairs(&[("b", "2")]));
    assert_eq!(matched("{?a}{&b}", "?b=2"), None);
    assert_eq!(matched("?fixed=yes{&x}", "?fixed=yes&x=1024"), pairs(&[("x", "1024")]));
    assert_eq!(matched("{?a}#{b}", "?a=1#2"), pairs(&[("a", "1"), ("b", "2")]));
}

#[test]
fn long_and_adversarial_uris() {
    // Longer than the limit: no match, without work.
    let t = UriTemplate::parse("{+x}").unwrap();
    let at_limit = "a".repeat(MAX_MATCH_URI_LEN);
    assert_eq!(t.matches(&at_limit).map(|v| v["x"].len()), Some(MAX_MATCH_URI_LEN));
    assert_eq!(t.matches(&(at_limit + "a")), None);

    // Many variables that could each end anywhere, against a URI that almost matches: the
    // classic exponential case for backtracking matchers. Here it is a table fill.
    let names: Vec<String> = (0..MAX_VARIABLES - 1).map(|i| format!("v{i}")).collect();
    let template = format!("{{{}}}!", names.join("}{"));
    let t = UriTemplate::parse(&template).unwrap();
    let uri = "a".repeat(MAX_MATCH_URI_LEN / 4);
    assert_eq!(t.matches(&uri), None);
    let found = t.matches(&(uri.clone() + "!")).unwrap();
    assert_eq!(found.values().map(String::len).sum::<usize>(), uri.len());

    let t = UriTemplate::parse("{+a}/{+b}/{+c}/{+d}x{?e,f,g}").unwrap();
    assert_eq!(t.matches(&"/".repeat(MAX_MATCH_URI_LEN)), None);
    let t = UriTemplate::parse("{/a*}{;b*}{?c*}").unwrap();
    let uri = "/".repeat(MAX_MATCH_URI_LEN / 2) + &";b".repeat(MAX_MATCH_URI_LEN / 4);
    assert!(t.matches(&uri).is_some());
}

/// Strings of arbitrary characters, biased towards the ones URIs and templates give a meaning.
fn value() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '/', '?', '#', '&', '=', ',', ';', '%', ':', '@', '+', ' ', '.', '~', '-', '_', '!', '[',
        ']', '$', '\'', '(', ')', '*', 'é', '€', '😀', 'A', '0', '2', 'F',
    ]);
    let c = prop_oneof![3 => special, 1 => any::<char>()];
    prop::collection::vec(c, 1..10).prop_map(String::from_iter)
}

/// A value for a `+` or `#` expression: without percent-encoded triplets, which expansion
/// passes through unchanged, so that decoding cannot tell `%41` from `A`.
fn reserved_value() -> impl Strategy<Value = String> {
    value().prop_map(|s| {
        let bytes = s.as_bytes();
        let mut out = String::new();
        for (i, c) in s.char_indices() {
            let triplet = c == '%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            out.push(if triplet { 'x' } else { c });
        }
        out
    })
}

/// Templates whose expansion is one-to-one for non-empty values, with their `+`/`#`
/// variables and their optional (`?`/`&`) ones.
const UNAMBIGUOUS: &[(&str, &[&str], &[&str])] = &[
    ("test://template/{id}/data", &[], &[]),
    ("users://{userId}/profile", &[], &[]),
    ("greeting://{name}", &[], &[]),
    ("weather://{city}/current{?units}", &[], &["units"]),
    ("{x,y}", &[], &[]),
    ("{a},{b}", &[], &[]),
    ("{x}:{y}", &[], &[]),
    ("mailto:{user}@{host}{?subject,body}", &[], &["subject", "body"]),
    ("x{/a,b}/y", &[], &[]),
    ("/files{/dir,name}", &[], &[]),
    ("map{;x,y}", &[], &[]),
    ("search{?q,lang,page}", &[], &["q", "lang", "page"]),
    ("{?a}{&b}", &[], &["b"]),
    ("?fixed=yes{&x}", &[], &["x"]),
    ("files/{+path}", &["path"], &[]),
    ("{a}/{+rest}", &["rest"], &[]),
    ("page{#section}", &["section"], &[]),
    ("file{.ext}", &[], &[]),
    ("café/{x}", &[], &[]),
    ("{a.b}/{c_d}/{%41}", &[], &[]),
    ("{/a}{;b}{?c}{#d}", &["d"], &["c"]),
];

/// A template from [`UNAMBIGUOUS`] and values for its variables (`None`: undefined).
fn unambiguous_case() -> impl Strategy<Value = (UriTemplate, BTreeMap<String, String>)> {
    prop::sample::select(UNAMBIGUOUS).prop_flat_map(|(template, reserved, optional)| {
        let t = UriTemplate::parse(template).unwrap();
        let names: Vec<String> = t.variables().map(String::from).collect();
        let values: Vec<BoxedStrategy<Option<String>>> = names
            .iter()
            .map(|name| {
                let v = if reserved.contains(&name.as_str()) {
                    reserved_value().boxed()
                } else {
                    value().boxed()
                };
                if optional.contains(&name.as_str()) {
                    prop::option::of(v).boxed()
                } else {
                    v.prop_map(Some).boxed()
                }
            })
            .collect();
        values.prop_map(move |values| {
            let vars =
                names.iter().cloned().zip(values).filter_map(|(k, v)| Some((k, v?))).collect();
            (t.clone(), vars)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    /// For a template whose expansion is one-to-one, matching the expansion gives back the
    /// variables, whatever characters they hold.
    #[test]
    fn match_inverts_expansion((t, vars) in unambiguous_case()) {
        let uri = t.expand(&vars);
        prop_assert_eq!(t.matches(&uri), Some(vars), "{} -> {}", t, uri);
    }

    /// Appending structure (`/`, `?`, `#`, ...) to an expansion: templates that end in a
    /// literal never match; where a `+`, `#` or query value (read
    /// leniently) can take the extra characters, the variables found expand to a URI that
    /// matches back to the same variables.
    #[test]
    fn extra_structure_never_matches_loosely(
        (t, vars) in unambiguous_case(),
        extra in prop::sample::select(vec!["/", "?", "#", "/x", "?y=1", "#z", "&", ";q"]),
    ) {
        let uri = t.expand(&vars) + extra;
        let found = t.matches(&uri);
        let closed = ["/data", "/profile", "/y"];
        if closed.iter().any(|end| t.as_str().ends_with(end)) {
            prop_assert_eq!(found, None, "{} -> {}", t, uri);
        } else if let Some(found) = found {
            let again = t.expand(&found);
            prop_assert_eq!(t.matches(&again), Some(found), "{} -> {} -> {}", t, uri, again);
        }
    }
}
