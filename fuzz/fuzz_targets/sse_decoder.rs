//! libFuzzer entry point; the target is [`mcp_sansio_fuzz::targets::sse_decoder`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mcp_sansio_fuzz::targets::sse_decoder::run(data));
