//! libFuzzer entry point; the target is [`mcp_sansio_fuzz::targets::session_ops`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mcp_sansio_fuzz::targets::session_ops::run(data));
