//! Any bytes decode to a message, a batch or an error, never a panic; whatever decodes
//! re-encodes to JSON that decodes to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_sansio::jsonrpc::{Decoded, decode, decode_message};

fuzz_target!(|data: &[u8]| {
    if let Ok(Decoded::Single(msg)) = decode(bytes::Bytes::copy_from_slice(data)) {
        let again = decode_message(msg.to_bytes()).expect("an encoded message decodes");
        assert_eq!(again, msg);
    }
});
