//! Arbitrary bytes, cut at arbitrary points, fed to a server and a client session: no panic,
//! and the sessions stay bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_sansio::Instant;
use mcp_sansio::session::{ClientConfig, Framing, ServerConfig, Session};
use mcp_sansio::types::Implementation;

fuzz_target!(|data: &[u8]| {
    let (cuts, input) = data.split_at(data.len().min(4));
    let mut server = Session::server(ServerConfig::new(Implementation::new("f", "1")), Framing::Lines);
    let mut client = Session::client(ClientConfig::new(Implementation::new("f", "1")), Framing::Lines);
    let _ = client.connect(Instant::ZERO);
    while client.poll_output().is_some() {}
    let step = usize::from(cuts.first().copied().unwrap_or(16)).max(1);
    for (i, chunk) in input.chunks(step).enumerate() {
        let now = Instant::from_millis(i as u64);
        for s in [&mut server, &mut client] {
            s.handle_bytes(now, chunk);
            while s.poll_output().is_some() {}
            s.handle_timeout(now);
            while s.poll_output().is_some() {}
        }
    }
    for s in [&mut server, &mut client] {
        s.handle_eof(Instant::from_millis(u64::MAX / 2));
        while s.poll_output().is_some() {}
        assert!(s.incoming_in_flight() <= 1024 && s.outgoing_in_flight() <= 1024);
    }
});
