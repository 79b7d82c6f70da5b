//! Decode and encode throughput of the JSON-RPC codec, beside rmcp 3.9 (its `ClientJsonRpcMessage`
//! / `ServerJsonRpcMessage` through serde_json, in the same run) and beside plain serde_json
//! parsing the same bytes into a borrowed envelope (the reference limit).
//!
//! What each side produces differs, and that is the design being measured: mcp-sansio's decode
//! classifies the message and slices `params`/`result` out of the frame (the typed parse of a
//! tool's arguments happens later, into the tool's own type); rmcp's builds its typed model of
//! the whole message. `decode+params/mcp-sansio` adds our typed parse of the `tools/call`
//! params, for the comparison closest to rmcp's work.
// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mcp_sansio::jsonrpc::{Message, decode_message};
use mcp_sansio::types::CallToolRequestParams;
use mcp_sansio_benches::{SMALL_TOOLS_CALL, large_tool_result, tools_list_result};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use serde::Deserialize;
use serde_json::value::RawValue;

#[allow(dead_code)]
#[derive(Deserialize)]
struct BorrowedEnvelope<'a> {
    jsonrpc: &'a str,
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    method: Option<&'a str>,
    #[serde(borrow)]
    params: Option<&'a RawValue>,
    #[serde(borrow)]
    result: Option<&'a RawValue>,
}

fn codec(c: &mut Criterion) {
    // Which side of the connection receives each message, for rmcp's typed model.
    let cases = [
        ("small_tools_call", SMALL_TOOLS_CALL.to_owned(), Side::Server),
        ("tool_result_64k", large_tool_result(64 * 1024), Side::Client),
        ("tools_list_100", tools_list_result(100), Side::Client),
    ];
    for (name, text, side) in cases {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(text.len() as u64));
        let frame = Bytes::from(text.clone());
        g.bench_function("decode/mcp-sansio", |b| {
            b.iter(|| decode_message(frame.clone()).unwrap())
        });
        g.bench_function("decode/serde_json-borrowed", |b| {
            b.iter(|| serde_json::from_str::<BorrowedEnvelope<'_>>(&text).unwrap().jsonrpc.len())
        });
        // The decoded message is returned, so its drop is timed as ours is.
        match side {
            Side::Server => g.bench_function("decode/rmcp", |b| {
                b.iter(|| serde_json::from_str::<ClientJsonRpcMessage>(&text).unwrap())
            }),
            Side::Client => g.bench_function("decode/rmcp", |b| {
                b.iter(|| serde_json::from_str::<ServerJsonRpcMessage>(&text).unwrap())
            }),
        };
        if side == Side::Server {
            g.bench_function("decode+params/mcp-sansio", |b| {
                b.iter(|| match decode_message(frame.clone()).unwrap() {
                    Message::Request(r) => {
                        r.params.unwrap().parse_owned::<CallToolRequestParams>().unwrap().name.len()
                    }
                    other => panic!("{other:?}"),
                })
            });
        }
        let msg = decode_message(frame.clone()).unwrap();
        g.bench_function("encode/mcp-sansio", |b| {
            let mut out = Vec::with_capacity(text.len() + 64);
            b.iter(|| {
                out.clear();
                msg.encode_into(&mut out);
                out.len()
            })
        });
        let typed = side.decoded_rmcp(&text);
        g.bench_function("encode/rmcp", |b| {
            let mut out = Vec::with_capacity(text.len() + 64);
            b.iter(|| {
                out.clear();
                typed.encode_into(&mut out);
                out.len()
            })
        });
        g.finish();
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// A message a server receives (from a client).
    Server,
    /// A message a client receives (from a server).
    Client,
}

/// A message decoded by rmcp, kept for the encode benchmark.
enum RmcpMessage {
    FromClient(Box<ClientJsonRpcMessage>),
    FromServer(Box<ServerJsonRpcMessage>),
}

impl RmcpMessage {
    fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            RmcpMessage::FromClient(m) => serde_json::to_writer(out, m).unwrap(),
            RmcpMessage::FromServer(m) => serde_json::to_writer(out, m).unwrap(),
        }
    }
}

impl Side {
    fn decoded_rmcp(self, text: &str) -> RmcpMessage {
        match self {
            Side::Server => RmcpMessage::FromClient(Box::new(serde_json::from_str(text).unwrap())),
            Side::Client => RmcpMessage::FromServer(Box::new(serde_json::from_str(text).unwrap())),
        }
    }
}

criterion_group!(benches, codec);
criterion_main!(benches);
