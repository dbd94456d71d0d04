//! A validator for the subset of JSON Schema (OpenAPI 3.1) that utoipa emits: `$ref` to
//! `#/components/schemas/…`, `type` (one or a list), `properties`, `required`,
//! `additionalProperties`, `items`, `enum`, `oneOf`, `anyOf`, `allOf`, `format`
//! (`int32`, `int64`) and `minimum`. Other keywords (descriptions, examples) say nothing
//! about a value. No crate in the lockfile does this offline.
//!
//! It is stricter than JSON Schema in one way: an object may hold only the properties its
//! schema declares (through `allOf` and `$ref` too) unless the schema has
//! `additionalProperties`, so a field the server sends but the document does not describe
//! is caught as well as a missing or mistyped one.

use std::collections::BTreeSet;

use serde_json::Value;

/// Checks values against the schemas of one OpenAPI document.
pub struct Validator<'a> {
    doc: &'a Value,
}

impl<'a> Validator<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Validator { doc }
    }

    /// The schema a `$ref` points to (a local JSON pointer).
    pub fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => schema = self.doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("unresolved {r}")),
                None => return schema,
            }
        }
        panic!("a $ref chain longer than 32")
    }

    /// Every problem of `value` against `schema`, each with the JSON pointer of its place.
    pub fn check(&self, schema: &'a Value, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        self.at(schema, value, "", true, &mut problems);
        problems
    }

    /// The properties `schema` declares, through `$ref` and `allOf`; `None` when it also
    /// takes others (`additionalProperties`) or declares none (not an object schema).
    fn declared(&self, schema: &'a Value, out: &mut BTreeSet<String>) -> bool {
        let schema = self.resolve(schema);
        if schema.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false)) {
            return false;
        }
        let mut any = false;
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            out.extend(props.keys().cloned());
            any = true;
        }
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            if !self.declared(part, out) {
                return false;
            }
            any = true;
        }
        any
    }

    fn at(&self, schema: &'a Value, value: &Value, path: &str, strict: bool, problems: &mut Vec<String>) {
        let schema = self.resolve(schema);
        let Some(map) = schema.as_object() else { return };
        let before = problems.len();
        if let Some(types) = map.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !allowed.iter().any(|t| type_matches(t, value)) {
                problems.push(format!("{path}: {} is not of type {allowed:?}", short(value)));
                return;
            }
        }
        if let Some(options) = map.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                problems.push(format!("{path}: {} is not one of {}", short(value), short(&Value::Array(options.clone()))));
            }
        }
        match map.get("format").and_then(Value::as_str) {
            Some("int64") if value.is_number() && !value.is_i64() => problems.push(format!("{path}: {value} is not an int64")),
            Some("int32") if value.is_number() && value.as_i64().is_none_or(|n| i32::try_from(n).is_err()) => {
                problems.push(format!("{path}: {value} is not an int32"))
            }
            _ => {}
        }
        if let (Some(min), Some(n)) = (map.get("minimum").and_then(Value::as_f64), value.as_f64()) {
            if n < min {
                problems.push(format!("{path}: {n} is below the minimum {min}"));
            }
        }
        for part in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.at(part, value, path, false, problems);
        }
        if let Some(options) = map.get("oneOf").and_then(Value::as_array) {
            let fits = options.iter().filter(|o| self.check_one(o, value, path)).count();
            if fits != 1 {
                problems.push(format!("{path}: {} fits {fits} of the oneOf's {} schemas", short(value), options.len()));
            }
        }
        if let Some(options) = map.get("anyOf").and_then(Value::as_array) {
            if !options.iter().any(|o| self.check_one(o, value, path)) {
                problems.push(format!("{path}: {} fits none of anyOf", short(value)));
            }
        }
        if let Some(object) = value.as_object() {
            let props = map.get("properties").and_then(Value::as_object);
            for name in map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    problems.push(format!("{path}: the required property {name} is missing"));
                }
            }
            for (name, v) in object {
                let here = format!("{path}/{name}");
                match (props.and_then(|p| p.get(name)), map.get("additionalProperties")) {
                    (Some(s), _) => self.at(s, v, &here, true, problems),
                    (None, Some(extra)) if extra.is_object() => self.at(extra, v, &here, true, problems),
                    _ => {}
                }
            }
            if strict {
                let mut declared = BTreeSet::new();
                if self.declared(schema, &mut declared) {
                    for name in object.keys().filter(|k| !declared.contains(*k)) {
                        problems.push(format!("{path}/{name}: a property the document does not declare"));
                    }
                }
            }
        }
        if let (Some(items), Some(array)) = (map.get("items"), value.as_array()) {
            for (i, v) in array.iter().enumerate() {
                self.at(items, v, &format!("{path}/{i}"), true, problems);
            }
        }
        if problems.len() > before + 20 {
            problems.truncate(before + 20);
        }
    }

    fn check_one(&self, schema: &'a Value, value: &Value, path: &str) -> bool {
        let mut p = Vec::new();
        self.at(schema, value, path, true, &mut p);
        p.is_empty()
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// A value cut to a readable length for a message.
pub fn short(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_validator_knows_the_subset_utoipa_emits() {
        let doc = json!({ "components": { "schemas": {
            "Tier": { "type": "string", "enum": ["member", "gold"] },
            "Base": { "type": "object", "required": ["id"], "properties": { "id": { "type": "integer", "format": "int64" } } },
            "Item": { "allOf": [ { "$ref": "#/components/schemas/Base" },
                { "type": "object", "required": ["tier"], "properties": {
                    "tier": { "$ref": "#/components/schemas/Tier" },
                    "min": { "oneOf": [ { "type": "null" }, { "$ref": "#/components/schemas/Tier" } ] },
                    "cash": { "type": ["string", "null"] },
                    "n": { "type": "integer", "format": "int32", "minimum": 0 },
                    "tags": { "type": "array", "items": { "type": "string" } },
                    "map": { "type": "object", "additionalProperties": { "type": "integer" } } } } ] }
        } } });
        let v = Validator::new(&doc);
        let item = json!({ "$ref": "#/components/schemas/Item" });
        let ok = json!({ "id": 1, "tier": "gold", "min": null, "cash": "1.00", "n": 3, "tags": ["a"], "map": { "x": 1 } });
        assert_eq!(v.check(&item, &ok), Vec::<String>::new());
        for (bad, why) in [
            (json!({ "tier": "gold" }), "the required property id"),
            (json!({ "id": "1", "tier": "gold" }), "is not of type"),
            (json!({ "id": 1, "tier": "platinum" }), "is not one of"),
            (json!({ "id": 1, "tier": "gold", "min": 3 }), "fits 0 of the oneOf"),
            (json!({ "id": 1, "tier": "gold", "n": -1 }), "below the minimum"),
            (json!({ "id": 1, "tier": "gold", "n": 3_000_000_000_i64 }), "not an int32"),
            (json!({ "id": 18_446_744_073_709_551_615_u64, "tier": "gold" }), "not an int64"),
            (json!({ "id": 1, "tier": "gold", "tags": [1] }), "/tags/0"),
            (json!({ "id": 1, "tier": "gold", "map": { "x": "y" } }), "/map/x"),
            (json!({ "id": 1, "tier": "gold", "secret": true }), "/secret: a property the document does not declare"),
        ] {
            let problems = v.check(&item, &bad);
            assert!(problems.iter().any(|p| p.contains(why)), "{bad}: {problems:?}");
        }
    }
}
