//! Shared fixtures for the criterion benches in `benches/`.
#![warn(missing_docs)]

/// A small `tools/call` request, as a client sends it.
pub const SMALL_TOOLS_CALL: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello world"},"_meta":{"progressToken":7}}}"#;

/// A `tools/call` result whose one text block holds `len` bytes of text.
pub fn large_tool_result(len: usize) -> String {
    let text: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    format!(
        r#"{{"jsonrpc":"2.0","id":42,"result":{{"content":[{{"type":"text","text":"{text}"}}],"isError":false}}}}"#
    )
}

/// A `tools/list` result with `n` tools, each with a small input schema.
pub fn tools_list_result(n: usize) -> String {
    let tools: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"tool_{i}","title":"Tool {i}","description":"Does thing number {i} to its input.","inputSchema":{{"type":"object","properties":{{"a":{{"type":"integer"}},"b":{{"type":"string","description":"the b"}}}},"required":["a"]}},"annotations":{{"readOnlyHint":true}}}}"#
            )
        })
        .collect();
    format!(r#"{{"jsonrpc":"2.0","id":1,"result":{{"tools":[{}]}}}}"#, tools.join(","))
}
