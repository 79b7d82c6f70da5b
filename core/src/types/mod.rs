//! The MCP data model.
