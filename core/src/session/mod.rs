//! The MCP session state machine.
