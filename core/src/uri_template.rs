//! RFC 6570 URI templates (interim: simple `{var}` expressions only; the full implementation
//! lands from the uritemplate branch).
#![allow(missing_docs)]

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct UriTemplate {
    text: String,
    parts: Vec<(bool, String)>,
}

#[derive(Clone, Debug)]
pub struct UriTemplateError(pub String);

impl core::fmt::Display for UriTemplateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl UriTemplate {
    pub fn parse(text: &str) -> Result<Self, UriTemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            parts.push((false, rest[..open].into()));
            let close =
                rest[open..].find('}').ok_or_else(|| UriTemplateError("unclosed {".into()))? + open;
            parts.push((true, rest[open + 1..close].into()));
            rest = &rest[close + 1..];
        }
        parts.push((false, rest.into()));
        Ok(UriTemplate { text: text.into(), parts })
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter(|p| p.0).map(|p| p.1.as_str())
    }
    pub fn matches(&self, uri: &str) -> Option<BTreeMap<String, String>> {
        let mut vars = BTreeMap::new();
        let mut rest = uri;
        let mut i = 0;
        while i < self.parts.len() {
            let (is_var, text) = &self.parts[i];
            if !is_var {
                rest = rest.strip_prefix(text.as_str())?;
            } else {
                let next = self.parts.get(i + 1).map(|p| p.1.as_str()).unwrap_or("");
                let end = if next.is_empty() { rest.len() } else { rest.find(next)? };
                let value = &rest[..end];
                if value.is_empty() || value.contains('/') {
                    return None;
                }
                vars.insert(text.clone(), value.into());
                rest = &rest[end..];
            }
            i += 1;
        }
        rest.is_empty().then_some(vars)
    }
}
