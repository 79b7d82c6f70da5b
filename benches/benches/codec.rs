//! Decode and encode throughput of the JSON-RPC codec, beside plain serde_json parsing the same
//! bytes into a borrowed envelope (the reference limit).
// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mcp_sansio::jsonrpc::decode_message;
use mcp_sansio_benches::{SMALL_TOOLS_CALL, large_tool_result, tools_list_result};
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
    let cases = [
        ("small_tools_call", SMALL_TOOLS_CALL.to_owned()),
        ("tool_result_64k", large_tool_result(64 * 1024)),
        ("tools_list_100", tools_list_result(100)),
    ];
    for (name, text) in cases {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(text.len() as u64));
        let frame = Bytes::from(text.clone());
        g.bench_function("decode/mcp-sansio", |b| {
            b.iter(|| decode_message(frame.clone()).unwrap())
        });
        g.bench_function("decode/serde_json-borrowed", |b| {
            b.iter(|| serde_json::from_str::<BorrowedEnvelope<'_>>(&text).unwrap().jsonrpc.len())
        });
        let msg = decode_message(frame.clone()).unwrap();
        g.bench_function("encode/mcp-sansio", |b| {
            let mut out = Vec::with_capacity(text.len() + 64);
            b.iter(|| {
                out.clear();
                msg.encode_into(&mut out);
                out.len()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, codec);
criterion_main!(benches);
