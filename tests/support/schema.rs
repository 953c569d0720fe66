//! Every JSON answer the API tests receive through [`crate::http::Api`] is
//! checked against the schema the served OpenAPI document gives for its
//! operation and status, made strict first (an object schema admits only
//! the properties it documents), so the document says exactly what the
//! server returns. An undocumented status is an error too.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

pub struct Schemas {
    doc: Value,
    compiled: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
    /// Answers checked so far.
    pub checked: AtomicUsize,
}

/// Admit only documented properties, in every object schema of `v`.
fn strict(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(strict);
        }
        Value::Array(a) => a.iter_mut().for_each(strict),
        _ => {}
    }
}

/// Whether a concrete path (no query) is an instance of a documented template.
fn instance_of(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

impl Schemas {
    pub fn new(mut doc: Value) -> Schemas {
        strict(&mut doc["components"]);
        strict(&mut doc["paths"]);
        Schemas { doc, compiled: Mutex::default(), checked: AtomicUsize::new(0) }
    }

    /// Check one answer: `Err` says what does not match.
    pub fn check(
        &self,
        method: &str,
        url_path: &str,
        status: u16,
        content_type: &str,
        body: &Value,
    ) -> Result<(), String> {
        let path = url_path.split('?').next().unwrap_or("");
        if !path.starts_with("/api/v1/") {
            return Ok(());
        }
        let media = content_type.split(';').next().unwrap_or("").trim();
        if !(media == "application/json" || media == "application/problem+json") {
            return Ok(());
        }
        let paths = self.doc["paths"].as_object().ok_or("no paths")?;
        let Some((template, item)) =
            paths.iter().filter(|(t, _)| instance_of(t, path)).min_by_key(|(t, _)| t.matches('{').count())
        else {
            return Ok(()); // the router's 404 for an unknown path
        };
        let Some(op) = item.get(method.to_lowercase()) else { return Ok(()) }; // its 405
        let responses = op["responses"].as_object().ok_or("no responses")?;
        let class = format!("{}XX", status / 100);
        let key = [status.to_string(), class, "default".to_string()].into_iter().find(|k| responses.contains_key(k));
        let Some(key) = key else {
            return Err(format!("{method} {template}: status {status} is not documented"));
        };
        let Some(schema) = responses[&key]["content"].get(media).map(|c| c["schema"].clone()) else {
            return Err(format!("{method} {template} {key}: no {media} content documented"));
        };
        let id = format!("{method} {template} {key} {media}");
        let validator = {
            let mut cache = self.compiled.lock().expect("schemas");
            match cache.get(&id) {
                Some(v) => v.clone(),
                None => {
                    let root = json!({ "components": self.doc["components"], "allOf": [schema] });
                    let v = Arc::new(jsonschema::validator_for(&root).map_err(|e| format!("{id}: {e}"))?);
                    cache.insert(id.clone(), v.clone());
                    v
                }
            }
        };
        self.checked.fetch_add(1, Ordering::Relaxed);
        let errors: Vec<String> =
            validator.iter_errors(body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("{id}: {}", errors.join("; ")))
        }
    }
}
