//! Every answer the API tests receive through [`crate::http::Api`] is
//! checked against the served OpenAPI document: its status must be
//! documented for the operation, its media type among the documented ones
//! (no body where none is documented), and a JSON body must match the
//! schema, made strict first (an object schema admits only the properties
//! it documents), so the document says exactly what the server returns.
//! A JSON body the server accepted must match the documented request body.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

pub struct Schemas {
    doc: Value,
    compiled: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
    /// Answers checked so far.
    pub checked: AtomicUsize,
}

/// Keywords whose value is data (an instance), not a schema: never made strict.
const DATA: [&str; 5] = ["default", "example", "examples", "const", "enum"];

/// Admit only documented properties, in every object schema of `v`. The
/// `properties` map holds property names, not keywords: only its values are
/// schemas, so a property called `properties` or `type` is not mistaken for one.
fn strict(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get_mut("properties") {
                props.values_mut().for_each(strict);
                m.entry("additionalProperties").or_insert(Value::Bool(false));
            }
            m.iter_mut()
                .filter(|(k, _)| *k != "properties" && !DATA.contains(&k.as_str()))
                .for_each(|(_, x)| strict(x));
        }
        Value::Array(a) => a.iter_mut().for_each(strict),
        _ => {}
    }
}

/// utoipa writes a struct with a `#[serde(flatten)]` field as `allOf: [{$ref}, {inline object}]`: made strict
/// one by one, each part would refuse the other's properties. So such a composition of plain objects is merged
/// into one object schema first, which [`strict`] then closes as a whole.
fn merge_all_of(v: &mut Value, components: &Map<String, Value>) {
    match v {
        Value::Object(m) => {
            m.iter_mut().filter(|(k, _)| !DATA.contains(&k.as_str())).for_each(|(_, x)| merge_all_of(x, components));
            if let Some((properties, required)) = m.get("allOf").and_then(|parts| merged(parts, components)) {
                m.remove("allOf");
                m.insert("type".into(), json!("object"));
                m.insert("properties".into(), Value::Object(properties));
                m.insert("required".into(), Value::Array(required));
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| merge_all_of(x, components)),
        _ => {}
    }
}

/// The properties and required names of an `allOf` whose parts are all objects (by reference or inline).
fn merged(parts: &Value, components: &Map<String, Value>) -> Option<(Map<String, Value>, Vec<Value>)> {
    let (mut properties, mut required) = (Map::new(), Vec::new());
    for part in parts.as_array()? {
        let part = match part.get("$ref").and_then(Value::as_str) {
            Some(r) => components.get(r.strip_prefix("#/components/schemas/")?)?,
            None => part,
        };
        let (p, r) = match part.get("allOf") {
            Some(inner) => merged(inner, components)?,
            None => {
                (part.get("properties")?.as_object()?.clone(), part["required"].as_array().cloned().unwrap_or_default())
            }
        };
        properties.extend(p);
        required.extend(r);
    }
    Some((properties, required))
}

/// Whether a concrete path (no query) is an instance of a documented template.
fn instance_of(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media == "application/problem+json"
}

impl Schemas {
    pub fn new(mut doc: Value) -> Schemas {
        let components = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
        merge_all_of(&mut doc["components"], &components);
        merge_all_of(&mut doc["paths"], &components);
        strict(&mut doc["components"]);
        strict(&mut doc["paths"]);
        Schemas { doc, compiled: Mutex::default(), checked: AtomicUsize::new(0) }
    }

    /// Check one answer (`body` is the JSON, or the text when it is not JSON): `Err` says what does not match.
    pub fn check(
        &self,
        method: &str,
        url_path: &str,
        status: u16,
        content_type: &str,
        body: &Value,
    ) -> Result<(), String> {
        let path = url_path.split('?').next().unwrap_or("");
        // None: the router's 404 for an unknown path, or its 405.
        let Some((template, op)) = self.operation(method, path) else { return Ok(()) };
        let responses = op["responses"].as_object().ok_or("no responses")?;
        let class = format!("{}XX", status / 100);
        let key = [status.to_string(), class, "default".to_string()].into_iter().find(|k| responses.contains_key(k));
        let Some(key) = key else {
            return Err(format!("{method} {template}: status {status} is not documented"));
        };
        self.checked.fetch_add(1, Ordering::Relaxed);
        let media = content_type.split(';').next().unwrap_or("").trim();
        let content = responses[&key].get("content").and_then(Value::as_object).filter(|c| !c.is_empty());
        let Some(content) = content else {
            if media.is_empty() && body == &Value::String(String::new()) {
                return Ok(());
            }
            return Err(format!("{method} {template} {key}: a body ({content_type}) where none is documented"));
        };
        let Some(schema) = content.get(media).map(|c| c["schema"].clone()) else {
            let documented: Vec<&String> = content.keys().collect();
            return Err(format!("{method} {template} {key}: {content_type:?} is not documented (only {documented:?})"));
        };
        if !is_json(media) {
            return Ok(());
        }
        self.validate(&format!("{method} {template} {key} {media}"), schema, body)
    }

    /// Check a JSON request body against the documented request body of its operation (`Ok` when none is).
    pub fn check_request(&self, method: &str, url_path: &str, body: &Value) -> Result<(), String> {
        let path = url_path.split('?').next().unwrap_or("");
        let Some((template, op)) = self.operation(method, path) else { return Ok(()) };
        // Opening a record: the first act is named in the body, its payload beside it; both are checked.
        if let (Some(by_act), Some(_)) = (op.get("x-act-payloads"), op.get("x-opening-acts")) {
            if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
                self.validate(&format!("{method} {template} request"), schema.clone(), body)?;
            }
            let act = body["act"]["name"].as_str().unwrap_or_default();
            let Some(schema) = by_act.get(act) else {
                return Err(format!("{method} {template}: act `{act}` has no payload schema in x-act-payloads"));
            };
            let payload = body["act"].get("payload").cloned().unwrap_or_else(|| json!({}));
            return self.validate(&format!("{method} {template} request {act}"), schema.clone(), &payload);
        }
        // An act's payload: the schema `x-act-payloads` names for the act in the path, not any act's.
        if let Some(by_act) = op.get("x-act-payloads") {
            let act = path.rsplit('/').next().unwrap_or_default();
            let Some(schema) = by_act.get(act) else {
                return Err(format!("{method} {template}: act `{act}` has no payload schema in x-act-payloads"));
            };
            return self.validate(&format!("{method} {template} request {act}"), schema.clone(), body);
        }
        let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else { return Ok(()) };
        self.validate(&format!("{method} {template} request"), schema.clone(), body)
    }

    /// The documented path template of a request (`/api/v1/decisions/{id}` for `/api/v1/decisions/7`), when
    /// the document has the operation.
    pub fn template(&self, method: &str, url_path: &str) -> Option<String> {
        self.operation(method, url_path.split('?').next().unwrap_or("")).map(|(t, _)| t.to_string())
    }

    /// Every documented operation: `(method, template)`, the method in upper case.
    pub fn operations(&self) -> Vec<(String, String)> {
        let paths = self.doc["paths"].as_object().into_iter().flatten();
        let ops = paths.flat_map(|(t, item)| item.as_object().into_iter().flatten().map(move |(m, _)| (m, t)));
        ops.map(|(m, t)| (m.to_uppercase(), t.clone())).collect()
    }

    /// The documented template and operation a request is an instance of.
    fn operation(&self, method: &str, path: &str) -> Option<(&str, &Value)> {
        if !path.starts_with("/api/v1/") {
            return None;
        }
        let paths = self.doc["paths"].as_object()?;
        let (template, item) =
            paths.iter().filter(|(t, _)| instance_of(t, path)).min_by_key(|(t, _)| t.matches('{').count())?;
        Some((template.as_str(), item.get(method.to_lowercase())?))
    }

    fn validate(&self, id: &str, schema: Value, instance: &Value) -> Result<(), String> {
        let validator = {
            let mut cache = self.compiled.lock().expect("schemas");
            match cache.get(id) {
                Some(v) => v.clone(),
                None => {
                    let root = json!({ "components": self.doc["components"], "allOf": [schema] });
                    let v = Arc::new(jsonschema::validator_for(&root).map_err(|e| format!("{id}: {e}"))?);
                    cache.insert(id.to_string(), v.clone());
                    v
                }
            }
        };
        let errors: Vec<String> =
            validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{id}: {}", errors.join("; ")))
        }
    }
}
