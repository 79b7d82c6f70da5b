//! Elicitation: `elicitation/create`, a server asking the user for input through the client
//! (2025-06-18+), by a form of primitive fields or (2025-11-25+) by sending them to a URL.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serde_util::{Tagged, object, opt_number, str_member, string_tag, variant};
use super::{JsonObject, Meta, TaskMetadata};

string_tag! {
    /// The `mode: "form"` of [`ElicitRequestFormParams`].
    FormMode = "form"
}

string_tag! {
    /// The `mode: "url"` of [`ElicitRequestURLParams`].
    UrlMode = "url"
}

string_tag! {
    /// The `type: "object"` of a [`RequestedSchema`].
    ObjectType = "object"
}

string_tag! {
    /// The `type: "string"` of an enum's items.
    StringType = "string"
}

/// Params of `elicitation/create`: a form or (2025-11-25+) a URL, told apart by `mode`
/// (absent means form).
#[derive(Clone, PartialEq, Debug, Serialize)]
#[serde(untagged)]
pub enum ElicitRequestParams {
    /// Form mode: ask for a flat object of primitive values.
    Form(ElicitRequestFormParams),
    /// URL mode: send the user to a URL (2025-11-25+).
    Url(ElicitRequestURLParams),
}

impl<'de> Deserialize<'de> for ElicitRequestParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = object(d, "elicitation params")?;
        match map.get("mode") {
            None => variant(map).map(ElicitRequestParams::Form),
            Some(_) => match str_member(&map, "mode") {
                Some(FormMode::VALUE) => variant(map).map(ElicitRequestParams::Form),
                Some(UrlMode::VALUE) => variant(map).map(ElicitRequestParams::Url),
                Some(other) => {
                    Err(D::Error::custom(alloc::format!("unknown elicitation mode {other:?}")))
                }
                None => Err(D::Error::custom("elicitation mode must be a string")),
            },
        }
    }
}

/// Form-mode params of `elicitation/create`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitRequestFormParams {
    /// `"form"`, or absent (always absent in 2025-06-18, which had no modes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<FormMode>,
    /// What is being asked, for the user.
    pub message: String,
    /// The fields of the form.
    pub requested_schema: RequestedSchema,
    /// Asks for the request to run as a task (2025-11-25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskMetadata>,
    /// Request metadata (legacy revisions).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ElicitRequestFormParams {
    /// A form (with `mode: "form"`) asking `message`.
    pub fn new(message: impl Into<String>, requested_schema: RequestedSchema) -> Self {
        ElicitRequestFormParams {
            meta: None,
            mode: Some(FormMode),
            message: message.into(),
            requested_schema,
            task: None,
        }
    }
}

/// URL-mode params of `elicitation/create` (2025-11-25+). Also the elements of the
/// 2025-11-25 `URLElicitationRequiredError` data, so `mode` is part of the struct.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitRequestURLParams {
    /// Always `"url"`.
    pub mode: UrlMode,
    /// Why the interaction is needed, for the user.
    pub message: String,
    /// Identifies the elicitation (2025-11-25 only; required there, removed in 2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicitation_id: Option<String>,
    /// The URL to send the user to.
    pub url: String,
    /// Asks for the request to run as a task (2025-11-25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskMetadata>,
    /// Request metadata (2025-11-25).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The restricted JSON Schema of a form: an object of primitive, non-nested properties.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RequestedSchema {
    /// The dialect (`$schema`, 2025-11-25+).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `"object"`.
    #[serde(rename = "type")]
    pub kind: ObjectType,
    /// The fields, by name.
    pub properties: BTreeMap<String, PrimitiveSchemaDefinition>,
    /// The names of the fields that must be filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
}

impl RequestedSchema {
    /// A form with these fields, none of them required.
    pub fn new(properties: BTreeMap<String, PrimitiveSchemaDefinition>) -> Self {
        RequestedSchema { schema: None, kind: ObjectType, properties, required: None }
    }
}

/// One field of a form: a primitive JSON Schema. The union is discriminated by `type` and,
/// for strings and arrays, by which keywords are present (`oneOf`, `enum`, `enumNames`,
/// `items.anyOf`). The `type` member lives here, not in the structs.
#[derive(Clone, PartialEq, Debug)]
pub enum PrimitiveSchemaDefinition {
    /// `type: "string"` with no enum.
    String(StringSchema),
    /// `type: "number"`.
    Number(NumberSchema),
    /// `type: "integer"`.
    Integer(NumberSchema),
    /// `type: "boolean"`.
    Boolean(BooleanSchema),
    /// `type: "string"` with `enum` (2025-11-25 name; 2025-06-18's `EnumSchema` without
    /// `enumNames`).
    UntitledSingleSelectEnum(UntitledSingleSelectEnumSchema),
    /// `type: "string"` with `oneOf` of `{const, title}` (2025-11-25+).
    TitledSingleSelectEnum(TitledSingleSelectEnumSchema),
    /// `type: "array"` of an untitled enum (2025-11-25+).
    UntitledMultiSelectEnum(UntitledMultiSelectEnumSchema),
    /// `type: "array"` with `items.anyOf` of `{const, title}` (2025-11-25+).
    TitledMultiSelectEnum(TitledMultiSelectEnumSchema),
    /// `type: "string"` with `enum` and `enumNames` (2025-06-18's `EnumSchema`; legacy in
    /// 2025-11-25).
    LegacyTitledEnum(LegacyTitledEnumSchema),
}

impl PrimitiveSchemaDefinition {
    /// The JSON Schema `type`.
    pub fn type_name(&self) -> &'static str {
        use PrimitiveSchemaDefinition as P;
        match self {
            P::String(_)
            | P::UntitledSingleSelectEnum(_)
            | P::TitledSingleSelectEnum(_)
            | P::LegacyTitledEnum(_) => "string",
            P::Number(_) => "number",
            P::Integer(_) => "integer",
            P::Boolean(_) => "boolean",
            P::UntitledMultiSelectEnum(_) | P::TitledMultiSelectEnum(_) => "array",
        }
    }
}

impl Serialize for PrimitiveSchemaDefinition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use PrimitiveSchemaDefinition as P;
        let ty = self.type_name();
        match self {
            P::String(inner) => Tagged { ty, inner }.serialize(s),
            P::Number(inner) | P::Integer(inner) => Tagged { ty, inner }.serialize(s),
            P::Boolean(inner) => Tagged { ty, inner }.serialize(s),
            P::UntitledSingleSelectEnum(inner) => Tagged { ty, inner }.serialize(s),
            P::TitledSingleSelectEnum(inner) => Tagged { ty, inner }.serialize(s),
            P::UntitledMultiSelectEnum(inner) => Tagged { ty, inner }.serialize(s),
            P::TitledMultiSelectEnum(inner) => Tagged { ty, inner }.serialize(s),
            P::LegacyTitledEnum(inner) => Tagged { ty, inner }.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PrimitiveSchemaDefinition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use PrimitiveSchemaDefinition as P;
        let map = object(d, "a primitive schema")?;
        match str_member(&map, "type") {
            Some("string") if map.contains_key("oneOf") => {
                variant(map).map(P::TitledSingleSelectEnum)
            }
            Some("string") if map.contains_key("enumNames") => {
                variant(map).map(P::LegacyTitledEnum)
            }
            Some("string") if map.contains_key("enum") => {
                variant(map).map(P::UntitledSingleSelectEnum)
            }
            Some("string") => variant(map).map(P::String),
            Some("number") => variant(map).map(P::Number),
            Some("integer") => variant(map).map(P::Integer),
            Some("boolean") => variant(map).map(P::Boolean),
            Some("array") => {
                let titled = map
                    .get("items")
                    .and_then(|items| items.as_object())
                    .is_some_and(|items| items.contains_key("anyOf"));
                if titled {
                    variant(map).map(P::TitledMultiSelectEnum)
                } else {
                    variant(map).map(P::UntitledMultiSelectEnum)
                }
            }
            Some(other) => Err(D::Error::custom(alloc::format!(
                "a form field cannot have type {other:?} (only string, number, integer, \
                 boolean, or an array of enum values)"
            ))),
            None => Err(D::Error::custom("a form field needs a string `type`")),
        }
    }
}

/// The `format` of a [`StringSchema`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub enum StringFormat {
    /// `"email"`.
    #[serde(rename = "email")]
    Email,
    /// `"uri"`.
    #[serde(rename = "uri")]
    Uri,
    /// `"date"`.
    #[serde(rename = "date")]
    Date,
    /// `"date-time"`.
    #[serde(rename = "date-time")]
    DateTime,
}

/// A free-text field.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The shortest allowed length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// The longest allowed length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// A format the value must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<StringFormat>,
    /// A value to pre-fill (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A number or integer field (which one is the variant of [`PrimitiveSchemaDefinition`]).
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct NumberSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "opt_number")]
    pub minimum: Option<f64>,
    /// The largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "opt_number")]
    pub maximum: Option<f64>,
    /// A value to pre-fill (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "opt_number")]
    pub default: Option<f64>,
}

/// A boolean field.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct BooleanSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A value to pre-fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
}

/// One option of a titled enum: a value and its label.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct EnumOption {
    /// The value (`const`).
    #[serde(rename = "const")]
    pub value: String,
    /// The label shown for it.
    pub title: String,
}

/// A single choice among plain values.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct UntitledSingleSelectEnumSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The values to choose from.
    #[serde(rename = "enum")]
    pub values: Vec<String>,
    /// A value to pre-fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A single choice among labelled values (2025-11-25+).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TitledSingleSelectEnumSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The options to choose from.
    pub one_of: Vec<EnumOption>,
    /// A value to pre-fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// The `items` of an [`UntitledMultiSelectEnumSchema`].
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct UntitledEnumItems {
    /// Always `"string"`.
    #[serde(rename = "type")]
    pub kind: StringType,
    /// The values to choose from.
    #[serde(rename = "enum")]
    pub values: Vec<String>,
}

/// The `items` of a [`TitledMultiSelectEnumSchema`].
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TitledEnumItems {
    /// The options to choose from.
    pub any_of: Vec<EnumOption>,
}

/// Several choices among plain values (2025-11-25+).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UntitledMultiSelectEnumSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fewest values to select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// The most values to select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// The values to choose from.
    pub items: UntitledEnumItems,
    /// Values to pre-select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Vec<String>>,
}

/// Several choices among labelled values (2025-11-25+).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TitledMultiSelectEnumSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fewest values to select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// The most values to select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// The options to choose from.
    pub items: TitledEnumItems,
    /// Values to pre-select.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Vec<String>>,
}

/// A single choice with labels in a separate, non-standard `enumNames` array (the 2025-06-18
/// `EnumSchema`; superseded by [`TitledSingleSelectEnumSchema`]).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyTitledEnumSchema {
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The values to choose from.
    #[serde(rename = "enum")]
    pub values: Vec<String>,
    /// Display names for the values, in the same order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_names: Option<Vec<String>>,
    /// A value to pre-fill (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// What the user did with an elicitation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// Submitted the form, or consented to open the URL.
    Accept,
    /// Explicitly declined.
    Decline,
    /// Dismissed without choosing.
    Cancel,
}

/// One submitted form value: a string, number, boolean, or (2025-11-25+, multi-select) an
/// array of strings. Numbers keep their JSON form (integer or not).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ElicitValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// The selected values of a multi-select field.
    StringArray(Vec<String>),
}

/// Result of `elicitation/create`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ElicitResult {
    /// What the user did.
    pub action: ElicitAction,
    /// The submitted values: only for `accept` in form mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<BTreeMap<String, ElicitValue>>,
    /// Metadata (legacy revisions, where this is a `Result`).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Members this model does not know (a legacy `Result` is an open object).
    #[serde(flatten)]
    pub extra: JsonObject,
}

impl ElicitResult {
    /// A result with this action and no content.
    pub fn new(action: ElicitAction) -> Self {
        ElicitResult { meta: None, action, content: None, extra: JsonObject::new() }
    }
}
