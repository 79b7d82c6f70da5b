//! libFuzzer entry point; the target is [`mcp_sansio_fuzz::targets::line_framer`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mcp_sansio_fuzz::targets::line_framer::run(data));
