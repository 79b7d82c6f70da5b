//! Helpers shared by the integration tests: where the offline spec lives, and validation
//! against its JSON Schemas.
//!
//! Each test file includes this module with `mod support;` and uses what it needs.
#![allow(dead_code)]

pub mod schema;
pub mod spec;
