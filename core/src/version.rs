//! Protocol revisions and the two eras they fall into.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A revision of the MCP specification this crate implements.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ProtocolVersion {
    /// `2024-11-05`: the first revision; stdio and HTTP+SSE.
    V2024_11_05,
    /// `2025-03-26`: Streamable HTTP, JSON-RPC batches, tool annotations, audio.
    V2025_03_26,
    /// `2025-06-18`: structured tool output, elicitation, resource links; batches removed.
    V2025_06_18,
    /// `2025-11-25`: icons, URL elicitation, tools in sampling, experimental tasks. The last
    /// revision with the `initialize` handshake.
    V2025_11_25,
    /// `2026-07-28`: stateless requests, `server/discover`, multi round-trip requests.
    V2026_07_28,
}

/// How a revision carries its lifecycle.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Era {
    /// 2024-11-05 … 2025-11-25: an `initialize` handshake opens a stateful session.
    Legacy,
    /// 2026-07-28 onward: no handshake; every request carries its version and the client's
    /// capabilities in `_meta`.
    Stateless,
}

impl ProtocolVersion {
    /// Every revision, oldest first.
    pub const ALL: [ProtocolVersion; 5] = [
        ProtocolVersion::V2024_11_05,
        ProtocolVersion::V2025_03_26,
        ProtocolVersion::V2025_06_18,
        ProtocolVersion::V2025_11_25,
        ProtocolVersion::V2026_07_28,
    ];

    /// The newest revision.
    pub const LATEST: ProtocolVersion = ProtocolVersion::V2026_07_28;

    /// The newest revision with the `initialize` handshake.
    pub const LATEST_LEGACY: ProtocolVersion = ProtocolVersion::V2025_11_25;

    /// The revision's date string, as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::V2024_11_05 => "2024-11-05",
            ProtocolVersion::V2025_03_26 => "2025-03-26",
            ProtocolVersion::V2025_06_18 => "2025-06-18",
            ProtocolVersion::V2025_11_25 => "2025-11-25",
            ProtocolVersion::V2026_07_28 => "2026-07-28",
        }
    }

    /// Parses a revision date; `None` for a revision this crate does not implement.
    pub fn parse(s: &str) -> Option<ProtocolVersion> {
        ProtocolVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The era of the revision.
    pub const fn era(self) -> Era {
        match self {
            ProtocolVersion::V2026_07_28 => Era::Stateless,
            _ => Era::Legacy,
        }
    }

    /// Whether JSON-RPC batches are allowed (only in 2025-03-26).
    pub const fn allows_batches(self) -> bool {
        matches!(self, ProtocolVersion::V2025_03_26)
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown revision.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownVersion;

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown MCP protocol version")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UnknownVersion {}

impl FromStr for ProtocolVersion {
    type Err = UnknownVersion;
    fn from_str(s: &str) -> Result<Self, UnknownVersion> {
        ProtocolVersion::parse(s).ok_or(UnknownVersion)
    }
}

impl Serialize for ProtocolVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProtocolVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        ProtocolVersion::parse(&s)
            .ok_or_else(|| serde::de::Error::custom("unknown MCP protocol version"))
    }
}
