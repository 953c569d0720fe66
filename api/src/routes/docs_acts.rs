//! The acts section of `/api/v1/docs`, rendered on the server from the served document: each act's fields (name,
//! type, required, allowed values, description) and its example, instead of the request body's `anyOf` of
//! `$ref`s, which says nothing a reader can use. Every text is escaped.

use serde_json::Value;

fn esc(s: &str) -> String {
    handlebars::html_escape(s)
}

/// `#/components/schemas/X` resolved in `doc`, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &doc["components"]["schemas"][name],
        None => schema,
    }
}

/// A field's type as a reader says it: `string`, `array of string`, `integer or null`, `object`.
fn type_of(doc: &Value, schema: &Value) -> String {
    let s = resolve(doc, schema);
    if let Some(alts) = s["oneOf"].as_array().or(s["anyOf"].as_array()) {
        return alts.iter().map(|a| type_of(doc, a)).collect::<Vec<_>>().join(" or ");
    }
    let base = match &s["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
        _ => "object".into(),
    };
    match s.get("items") {
        Some(items) if base.starts_with("array") => {
            base.replacen("array", &format!("array of {}", type_of(doc, items)), 1)
        }
        _ => base,
    }
}

/// The allowed values of a field: its `enum`, or its items' (arrays of codes).
fn allowed(doc: &Value, schema: &Value) -> String {
    let s = resolve(doc, schema);
    let values = s["enum"].as_array().or_else(|| resolve(doc, &s["items"])["enum"].as_array());
    values
        .map(|v| v.iter().map(|x| x.as_str().map_or(x.to_string(), str::to_string)).collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

/// The section: one table per act of the acts operation's `x-act-payloads`.
pub fn section(doc: &Value) -> String {
    let by_act = &doc["paths"]["/api/v1/decisions/{id}/acts/{act}"]["post"]["x-act-payloads"];
    let Some(acts) = by_act.as_object() else { return String::new() };
    let mut html = String::from(
        "<section id=\"acts\"><h2>行为及其数据 / Acts and their payloads</h2>\
         <p><code>POST /api/v1/decisions/{id}/acts/{act}</code>, <code>POST /api/v1/decisions/{id}/checks/{act}</code></p>",
    );
    for (act, reference) in acts {
        let schema = resolve(doc, reference);
        let required: Vec<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        html += &format!("<div class=\"op act\" id=\"act-{0}\"><h3><code>{0}</code></h3>", esc(act));
        if let Some(d) = schema["description"].as_str() {
            html += &format!("<p>{}</p>", esc(d));
        }
        let fields = schema["properties"].as_object().filter(|p| !p.is_empty());
        match fields {
            None => html += "<p>无字段：发送 <code>{}</code> / no fields: send <code>{}</code></p>",
            Some(fields) => {
                html += "<table><thead><tr><th>field</th><th>type</th><th>required</th><th>allowed values</th>\
                         <th>description</th></tr></thead><tbody>";
                for (name, field) in fields {
                    let description = field["description"].as_str().or(resolve(doc, field)["description"].as_str());
                    html += &format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(name),
                        esc(&type_of(doc, field)),
                        if required.contains(&name.as_str()) { "required" } else { "optional" },
                        esc(&allowed(doc, field)),
                        esc(description.unwrap_or_default()),
                    );
                }
                html += "</tbody></table>";
            }
        }
        if let Some(example) = schema["examples"].get(0) {
            let pretty = serde_json::to_string_pretty(example).unwrap_or_default();
            html += &format!("<p>example:</p><pre class=\"example\">{}</pre>", esc(&pretty));
        }
        html += "</div>";
    }
    html + "</section>"
}
