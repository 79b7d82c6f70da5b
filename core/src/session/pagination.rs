//! Pagination: following `nextCursor` as a client, and cutting lists into pages as a server.
//!
//! A cursor is an opaque string. The client never looks inside; the server here encodes an
//! offset with a check digit so that a forged or stale cursor is refused with `-32602` instead
//! of silently returning the wrong page.

use alloc::string::String;

use serde::Deserialize;

use crate::jsonrpc::object::RawObject;
use crate::jsonrpc::{ErrorObject, RawJson};

#[derive(Deserialize)]
struct PageInfo {
    #[serde(rename = "nextCursor", default)]
    next_cursor: Option<String>,
}

/// The `nextCursor` of a list result: `Some` when there are more pages. An empty string is a
/// valid cursor.
pub fn next_cursor(result: &RawJson) -> Result<Option<String>, serde_json::Error> {
    result.parse::<PageInfo>().map(|p| p.next_cursor)
}

/// `params` (or `{}`) with `cursor` set, for the request of the next page.
pub fn with_cursor(params: Option<&RawJson>, cursor: &str) -> Result<RawJson, serde_json::Error> {
    let base = params.map_or("{}", RawJson::as_str);
    let cursor = RawJson::from_serialize(cursor)?;
    Ok(RawObject::parse(base)?.rewrite(&["cursor"], &[("cursor", cursor.as_str())]))
}

/// Follows a paginated list to its end, one request at a time, and stops a server that keeps
/// sending cursors after `max_pages` pages (or repeats the cursor it was just given).
#[derive(Clone, Debug)]
pub struct Paginator {
    params: Option<RawJson>,
    cursor: Option<String>,
    pages: usize,
    max_pages: usize,
    done: bool,
}

/// Why [`Paginator`] stopped early.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PaginationError {
    /// The result was not a JSON object with an optional string `nextCursor`.
    InvalidResult,
    /// The server sent more pages than allowed.
    TooManyPages {
        /// The limit.
        limit: usize,
    },
    /// The server returned the cursor it had just been given.
    CursorRepeated,
}

impl core::fmt::Display for PaginationError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PaginationError::InvalidResult => {
                f.write_str("the list result has no valid nextCursor")
            }
            PaginationError::TooManyPages { limit } => write!(f, "more than {limit} pages"),
            PaginationError::CursorRepeated => f.write_str("the server repeated its cursor"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PaginationError {}

impl Paginator {
    /// Starts at the first page of a list request with `params` (without a cursor).
    pub fn new(params: Option<RawJson>, max_pages: usize) -> Self {
        Paginator { params, cursor: None, pages: 0, max_pages, done: false }
    }

    /// The params of the next page's request, or `None` when the list is complete.
    pub fn next_params(&self) -> Option<Result<Option<RawJson>, serde_json::Error>> {
        if self.done {
            return None;
        }
        Some(match &self.cursor {
            None => Ok(self.params.clone()),
            Some(c) => with_cursor(self.params.as_ref(), c).map(Some),
        })
    }

    /// Records a page's result. Returns whether more pages follow.
    pub fn record(&mut self, result: &RawJson) -> Result<bool, PaginationError> {
        let next = next_cursor(result).map_err(|_| PaginationError::InvalidResult)?;
        self.pages += 1;
        match next {
            None => {
                self.done = true;
                Ok(false)
            }
            Some(_) if self.pages >= self.max_pages => {
                self.done = true;
                Err(PaginationError::TooManyPages { limit: self.max_pages })
            }
            Some(c) if self.cursor.as_deref() == Some(c.as_str()) => {
                self.done = true;
                Err(PaginationError::CursorRepeated)
            }
            Some(c) => {
                self.cursor = Some(c);
                Ok(true)
            }
        }
    }

    /// Pages recorded so far.
    pub fn pages(&self) -> usize {
        self.pages
    }
}

/// Cuts `items` into pages of `page_size` for a server: returns the page the `cursor` points
/// at and the `nextCursor` for the one after, or `-32602` for a cursor this function did not
/// make.
pub fn paginate<'a, T>(
    items: &'a [T],
    cursor: Option<&str>,
    page_size: usize,
) -> Result<(&'a [T], Option<String>), ErrorObject> {
    let start = match cursor {
        None => 0,
        Some(c) => decode_cursor(c)
            .filter(|&s| s <= items.len())
            .ok_or_else(|| ErrorObject::invalid_params(alloc::format!("invalid cursor {c:?}")))?,
    };
    let end = start.saturating_add(page_size.max(1)).min(items.len());
    let next = (end < items.len()).then(|| encode_cursor(end));
    Ok((&items[start..end], next))
}

fn check_digit(n: usize) -> u8 {
    // A weighted digit sum: catches edits and truncation of the offset, not a secret.
    let sum: usize =
        n.to_le_bytes().iter().enumerate().map(|(i, b)| (i + 3) * usize::from(*b)).sum();
    b'a' + (sum % 26) as u8
}

fn encode_cursor(offset: usize) -> String {
    let mut s = alloc::format!("o{offset}");
    s.push(char::from(check_digit(offset)));
    s
}

fn decode_cursor(c: &str) -> Option<usize> {
    let body = c.strip_prefix('o')?;
    let (digits, check) = body.split_at(body.len().checked_sub(1)?);
    let offset: usize = digits.parse().ok()?;
    (check.as_bytes() == [check_digit(offset)] && digits == alloc::format!("{offset}"))
        .then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn server_pages_and_client_follows_to_the_end() {
        let items: Vec<u32> = (0..25).collect();
        let mut p = Paginator::new(None, 10);
        let mut seen = Vec::new();
        while let Some(params) = p.next_params() {
            let params = params.unwrap();
            let cursor = params
                .as_ref()
                .and_then(|p| p.parse_owned::<serde_json::Value>().ok())
                .and_then(|v| v["cursor"].as_str().map(String::from));
            let (page, next) = paginate(&items, cursor.as_deref(), 10).unwrap();
            seen.extend_from_slice(page);
            let result = serde_json::json!({"items": page, "nextCursor": next});
            let more = p.record(&RawJson::to_raw(&result)).unwrap();
            assert_eq!(more, next.is_some());
        }
        assert_eq!(seen, items);
        assert_eq!(p.pages(), 3);
    }

    #[test]
    fn forged_cursors_are_invalid_params() {
        let items = [1, 2, 3];
        for bad in ["", "o1", "o9z", "x", "o01b", "o4"] {
            let e = paginate(&items, Some(bad), 1).unwrap_err();
            assert_eq!(e.code, crate::jsonrpc::ErrorCode::INVALID_PARAMS, "{bad}");
        }
        let (_, next) = paginate(&items, None, 1).unwrap();
        assert!(paginate(&items, next.as_deref(), 1).is_ok());
    }

    #[test]
    fn a_server_that_never_ends_is_stopped() {
        let mut p = Paginator::new(None, 3);
        let page = |c: &str| RawJson::to_raw(&serde_json::json!({"nextCursor": c}));
        assert_eq!(p.record(&page("a")), Ok(true));
        assert_eq!(p.record(&page("a")), Err(PaginationError::CursorRepeated));
        let mut p = Paginator::new(None, 2);
        assert_eq!(p.record(&page("a")), Ok(true));
        assert_eq!(p.record(&page("b")), Err(PaginationError::TooManyPages { limit: 2 }));
        assert!(p.next_params().is_none());
        assert_eq!(with_cursor(None, "").unwrap().as_str(), r#"{"cursor":""}"#);
    }
}
