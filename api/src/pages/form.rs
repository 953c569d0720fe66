//! One form renderer for every act: the act's payload schema (the one the
//! API document carries, `ActPayload.<act>`, derived from the type the
//! engine parses) becomes labelled fields, and the submitted form becomes
//! the JSON payload again, typed by the same schema. A new act gets a
//! working form without page code.
//!
//! Names: a field's form name is its JSON path (`date`, `members[0].name`);
//! a list of objects is a repeatable group whose row count travels in
//! `<path>.__rows`; a list of strings is a textarea, one item a line.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::field_order::FieldOrder;
use super::i18n::Lang;

/// What a field holds, as far as the form is concerned.
#[derive(Debug, Clone)]
pub enum Kind {
    Text {
        long: bool,
    },
    Integer,
    Number,
    Bool,
    Date,
    DateTime,
    Choice(Vec<String>),
    TextList,
    Group(Vec<Field>),
    Rows(Vec<Field>),
    /// Anything the form cannot break down (maps, mixed types): JSON typed by hand.
    Json,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The key in the payload object.
    pub key: String,
    pub required: bool,
    /// The schema's description (the engine type's doc comment).
    pub description: Option<String>,
    pub kind: Kind,
}

/// Resolves `$ref`s against the document's components.
pub struct Schemas<'a> {
    components: &'a Map<String, Value>,
    /// The declared order of properties; without it fields come in key order.
    order: Option<&'a FieldOrder>,
}

impl<'a> Schemas<'a> {
    pub fn new(doc: &'a Value) -> Option<Schemas<'a>> {
        doc.pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|components| Schemas { components, order: None })
    }

    /// Fields in the order their type declares them.
    pub fn in_order(mut self, order: &'a FieldOrder) -> Schemas<'a> {
        self.order = Some(order);
        self
    }

    /// The payload schema of `act`.
    pub fn act(&self, act: &str) -> Option<&'a Value> {
        self.components.get(&format!("ActPayload.{act}"))
    }

    fn resolve(&self, s: &'a Value) -> &'a Value {
        let mut s = s;
        // References chain at most a few deep; the bound guards a cycle.
        for _ in 0..8 {
            match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
                Some(name) => match self.components.get(name) {
                    Some(next) => s = next,
                    None => break,
                },
                None => break,
            }
        }
        s
    }

    /// The fields of an object schema (empty for an act that takes nothing).
    pub fn fields(&self, schema: &'a Value) -> Vec<Field> {
        self.fields_at(schema, 0)
    }

    fn fields_at(&self, schema: &'a Value, depth: usize) -> Vec<Field> {
        let schema = self.resolve(schema);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut fields: Vec<Field> = props
            .iter()
            .map(|(key, prop)| {
                let (kind, nullable) = self.kind(prop, depth);
                Field {
                    key: key.clone(),
                    required: required.contains(&key.as_str()) && !nullable,
                    description: self.resolve(prop).get("description").and_then(Value::as_str).map(str::to_string),
                    kind,
                }
            })
            .collect();
        if let Some(rank) = self.order.and_then(|o| o.rank(props.keys().map(String::as_str))) {
            fields.sort_by_key(|f| rank.get(f.key.as_str()).copied().unwrap_or(usize::MAX));
        }
        fields
    }

    /// The kind of a property, and whether it may be null.
    fn kind(&self, prop: &'a Value, depth: usize) -> (Kind, bool) {
        let prop = self.resolve(prop);
        // `Option<T>` comes as `oneOf: [null, T]` or `type: [T, "null"]`.
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = prop.get(key).and_then(Value::as_array) {
                let nullable = variants.iter().any(|v| v.get("type").and_then(Value::as_str) == Some("null"));
                let real: Vec<&Value> =
                    variants.iter().filter(|v| v.get("type").and_then(Value::as_str) != Some("null")).collect();
                // An untagged choice (a name, or a name with an account): offer the fullest shape.
                let best =
                    real.iter().find(|v| self.resolve(v).get("properties").is_some()).or_else(|| real.first()).copied();
                return match best {
                    Some(v) if real.len() == 1 || self.resolve(v).get("properties").is_some() => {
                        let (k, n) = self.kind(v, depth);
                        (k, nullable || n)
                    }
                    _ => (Kind::Json, nullable),
                };
            }
        }
        let (ty, nullable) = match prop.get("type") {
            Some(Value::String(t)) => (t.as_str(), false),
            Some(Value::Array(ts)) => {
                let nullable = ts.iter().any(|t| t.as_str() == Some("null"));
                (ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("object"), nullable)
            }
            _ => ("object", false),
        };
        if let Some(choices) = prop.get("enum").and_then(Value::as_array) {
            let choices = choices.iter().filter_map(Value::as_str).map(str::to_string).collect();
            return (Kind::Choice(choices), nullable);
        }
        let kind = match ty {
            "string" => match prop.get("format").and_then(Value::as_str) {
                Some("date") => Kind::Date,
                Some("date-time") => Kind::DateTime,
                _ => {
                    let max = prop.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
                    Kind::Text { long: max > 200 }
                }
            },
            "integer" => Kind::Integer,
            "number" => Kind::Number,
            "boolean" => Kind::Bool,
            "array" => match prop.get("items") {
                Some(items) if depth < 3 => match self.kind(items, depth + 1).0 {
                    Kind::Group(sub) => Kind::Rows(sub),
                    Kind::Text { .. } | Kind::Choice(_) | Kind::Date => Kind::TextList,
                    _ => Kind::Json,
                },
                _ => Kind::Json,
            },
            _ if prop.get("properties").is_some() && depth < 3 => Kind::Group(self.fields_at(prop, depth + 1)),
            _ => Kind::Json,
        };
        (kind, nullable)
    }
}

/// Offer a select where the catalogue lists the values a free-text field takes (`choices-<act>-<field>`, or
/// `choices-<field>`), for fields whose type does not enumerate them yet. Presentation only: the engine still
/// judges the value.
pub fn offer_choices(lang: Lang, act: &str, fields: &mut [Field]) {
    for f in fields.iter_mut() {
        if let Kind::Text { .. } = f.kind {
            let listed =
                lang.lookup(&format!("choices-{act}-{}", f.key)).or_else(|| lang.lookup(&format!("choices-{}", f.key)));
            if let Some(values) = listed {
                f.kind = Kind::Choice(values.split_whitespace().map(str::to_string).collect());
            }
        }
    }
}

/// A submitted form: every value under its name, in order.
#[derive(Debug, Default, Clone)]
pub struct Submitted {
    values: BTreeMap<String, Vec<String>>,
}

impl Submitted {
    pub fn parse(body: &[u8]) -> Submitted {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(body) {
            values.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Submitted { values }
    }

    /// Every value sent under `name` (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values.get(name).map_or(Vec::new(), |v| v.iter().map(String::as_str).collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// How many rows a group shows: what was sent (at least one), one more when asked to add.
    pub fn rows(&self, path: &str) -> usize {
        let sent = self.get(&format!("{path}.__rows")).and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
        let add = usize::from(self.get("_add") == Some(path));
        (sent + add).clamp(1, 100)
    }
}

/// A field the form could not turn into its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub message_zh: String,
    pub message_en: String,
}

/// The payload the form describes, or the fields it could not read.
pub fn payload(fields: &[Field], form: &Submitted) -> Result<Value, Vec<FieldError>> {
    let mut errors = Vec::new();
    let obj = object(fields, "", form, &mut errors);
    if errors.is_empty() {
        Ok(Value::Object(obj))
    } else {
        Err(errors)
    }
}

fn path_of(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn object(fields: &[Field], prefix: &str, form: &Submitted, errors: &mut Vec<FieldError>) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        let path = path_of(prefix, &f.key);
        if let Some(v) = value(f, &path, form, errors) {
            out.insert(f.key.clone(), v);
        }
    }
    out
}

fn bad(path: &str, zh: &str, en: &str) -> FieldError {
    FieldError { path: path.to_string(), message_zh: zh.to_string(), message_en: en.to_string() }
}

/// One field's value; `None` leaves it out of the payload (empty and optional; the engine judges required ones).
fn value(f: &Field, path: &str, form: &Submitted, errors: &mut Vec<FieldError>) -> Option<Value> {
    let raw = form.get(path).unwrap_or("");
    let blank = raw.trim().is_empty();
    match &f.kind {
        Kind::Bool => Some(Value::Bool(raw == "true")),
        Kind::Group(sub) => {
            let inner = object(sub, path, form, errors);
            (!inner.is_empty() || f.required).then_some(Value::Object(inner))
        }
        Kind::Rows(sub) => {
            let rows: Vec<Value> = (0..form.rows(path))
                .map(|i| object(sub, &format!("{path}[{i}]"), form, errors))
                .filter(|row| row.values().any(|v| !matches!(v, Value::Bool(false))))
                .map(Value::Object)
                .collect();
            (!rows.is_empty() || f.required).then_some(Value::Array(rows))
        }
        Kind::TextList => {
            let items: Vec<Value> =
                raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.to_string())).collect();
            (!items.is_empty() || f.required).then_some(Value::Array(items))
        }
        _ if blank => None,
        Kind::Text { .. } | Kind::Choice(_) | Kind::Date => Some(Value::String(raw.to_string())),
        Kind::DateTime => match china_time(raw) {
            Some(t) => Some(Value::String(t)),
            None => {
                errors.push(bad(path, "请填写有效的日期和时间", "enter a valid date and time"));
                None
            }
        },
        Kind::Integer => match raw.trim().parse::<i64>() {
            Ok(n) => Some(Value::from(n)),
            Err(_) => {
                errors.push(bad(path, "请填写整数", "enter a whole number"));
                None
            }
        },
        Kind::Number => match raw.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Some(n) => Some(Value::Number(n)),
            None => {
                errors.push(bad(path, "请填写数字", "enter a number"));
                None
            }
        },
        Kind::Json => match serde_json::from_str::<Value>(raw) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(bad(path, "内容格式不正确（JSON）", &format!("not valid JSON: {e}")));
                None
            }
        },
    }
}

/// A `datetime-local` value read as China Standard Time, as RFC 3339.
fn china_time(raw: &str) -> Option<String> {
    use chrono::TimeZone;
    let raw = raw.trim();
    if chrono::DateTime::parse_from_rfc3339(raw).is_ok() {
        return Some(raw.to_string());
    }
    let naive = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let t = chrono_tz::Asia::Shanghai.from_local_datetime(&naive).single()?;
    Some(t.to_rfc3339())
}

/// The label of a field: the catalogue's word for its key, else the schema's description, else the key.
pub fn label(lang: Lang, f: &Field) -> String {
    lang.lookup(&format!("field-{}", f.key))
        .or_else(|| f.description.as_ref().map(|d| d.lines().next().unwrap_or(d).trim_end_matches('.').to_string()))
        .unwrap_or_else(|| f.key.replace('_', " "))
}

/// Escape text for HTML (content and attribute values).
pub fn esc(s: &str) -> String {
    handlebars::html_escape(s)
}

/// The fields as HTML, filled with what was sent, each error beside its field.
pub fn render(lang: Lang, fields: &[Field], form: &Submitted, errors: &[(String, String)]) -> String {
    let mut out = String::new();
    render_into(&mut out, lang, fields, "", form, errors);
    out
}

fn field_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '[', ']'], "-"))
}

fn render_into(
    out: &mut String,
    lang: Lang,
    fields: &[Field],
    prefix: &str,
    form: &Submitted,
    errors: &[(String, String)],
) {
    for f in fields {
        let path = path_of(prefix, &f.key);
        let id = field_id(&path);
        let label = esc(&label(lang, f));
        let need = if f.required { lang.t("form-required") } else { lang.t("form-optional") };
        // The catalogue's hint for the field, else the schema's description (English) where no label explains it.
        let hint = match lang.lookup(&format!("hint-{}", f.key)) {
            Some(h) => format!(r#"<p class="hint" id="{id}-hint">{}</p>"#, esc(&h)),
            None => f
                .description
                .as_ref()
                .filter(|_| lang == Lang::En || lang.lookup(&format!("field-{}", f.key)).is_none())
                .map(|d| format!(r#"<p class="hint" id="{id}-hint" lang="en">{}</p>"#, esc(d)))
                .unwrap_or_default(),
        };
        let described = if hint.is_empty() { String::new() } else { format!(r#" aria-describedby="{id}-hint""#) };
        let own_errors: String = errors
            .iter()
            .filter(|(p, _)| *p == path)
            .map(|(_, m)| {
                format!(
                    r#"<p class="field-error" id="{id}-error"><span class="visually-hidden">!</span>{}</p>"#,
                    esc(m)
                )
            })
            .collect();
        let err_class = if own_errors.is_empty() { "" } else { " field--error" };
        let sent = form.get(&path).unwrap_or("");
        let req = if f.required { " required" } else { "" };
        match &f.kind {
            Kind::Group(sub) => {
                out.push_str(&format!(r#"<fieldset class="group{err_class}"><legend>{label} <span class="need">{need}</span></legend>{hint}{own_errors}"#));
                render_into(out, lang, sub, &path, form, errors);
                out.push_str("</fieldset>");
            }
            Kind::Rows(sub) => {
                let rows = form.rows(&path);
                out.push_str(&format!(r#"<fieldset class="group rows{err_class}"><legend>{label} <span class="need">{need}</span></legend>{hint}{own_errors}"#));
                out.push_str(&format!(r#"<input type="hidden" name="{}.__rows" value="{rows}">"#, esc(&path)));
                for i in 0..rows {
                    let n = lang.t_args("form-row", &[("n", (i + 1).to_string())]);
                    out.push_str(&format!(r#"<fieldset class="row"><legend>{}</legend>"#, esc(&n)));
                    render_into(out, lang, sub, &format!("{path}[{i}]"), form, errors);
                    out.push_str("</fieldset>");
                }
                out.push_str(&format!(
                    r#"<button type="submit" class="button secondary" name="_add" value="{}" formnovalidate>{}</button></fieldset>"#,
                    esc(&path),
                    esc(&lang.t("form-add-row"))
                ));
            }
            Kind::Bool => {
                let checked = if sent == "true" { " checked" } else { "" };
                out.push_str(&format!(
                    r#"<div class="field checkbox{err_class}">{own_errors}<input type="checkbox" id="{id}" name="{p}" value="true"{checked}{described}><label for="{id}">{label}</label>{hint}</div>"#,
                    p = esc(&path)
                ));
            }
            kind => {
                let control = match kind {
                    Kind::Choice(choices) => {
                        let mut s = format!(
                            r#"<select id="{id}" name="{}"{req}{described}><option value="">{}</option>"#,
                            esc(&path),
                            esc(&lang.t("form-choose"))
                        );
                        for c in choices {
                            let sel = if c == sent { " selected" } else { "" };
                            let word = lang.choice(c);
                            s.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, esc(c), esc(&word)));
                        }
                        s + "</select>"
                    }
                    Kind::Text { long: true } | Kind::Json => {
                        format!(
                            r#"<textarea id="{id}" name="{}" rows="6"{req}{described}>{}</textarea>"#,
                            esc(&path),
                            esc(sent)
                        )
                    }
                    Kind::TextList => format!(
                        r#"<textarea id="{id}" name="{}" rows="4"{req}{described} aria-description="{}">{}</textarea>"#,
                        esc(&path),
                        esc(&lang.t("form-list-hint")),
                        esc(sent)
                    ),
                    _ => {
                        let (ty, extra) = match kind {
                            Kind::Date => ("date", ""),
                            Kind::DateTime => ("datetime-local", ""),
                            Kind::Integer => ("number", r#" step="1""#),
                            Kind::Number => ("number", r#" step="any""#),
                            _ => ("text", ""),
                        };
                        format!(
                            r#"<input type="{ty}" id="{id}" name="{}" value="{}"{extra}{req}{described}>"#,
                            esc(&path),
                            esc(sent)
                        )
                    }
                };
                let list_hint = if matches!(kind, Kind::TextList) {
                    format!(r#"<p class="hint">{}</p>"#, esc(&lang.t("form-list-hint")))
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    r#"<div class="field{err_class}"><label for="{id}">{label} <span class="need">{need}</span></label>{hint}{list_hint}{own_errors}{control}</div>"#
                ));
            }
        }
    }
}

/// Every name a field tree may be sent under, with its value, for carrying a form into a confirmation page.
pub fn carried(form: &Submitted) -> Vec<(String, String)> {
    form.values
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "ActPayload.convene": {"type": "object", "required": ["date", "members", "meeting_type"], "properties": {
                "meeting_type": {"type": "string", "enum": ["executive", "plenary"]},
                "date": {"type": "string", "format": "date"},
                "members": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Account"}]}},
                "note": {"type": ["string", "null"], "description": "Why."},
                "urgent": {"type": "boolean"},
                "count": {"type": "integer"},
                "basis": {"type": "array", "items": {"type": "string"}}
            }},
            "Account": {"type": "object", "required": ["name", "user"], "properties": {
                "name": {"type": "string"}, "user": {"type": "string"}
            }}
        }}})
    }

    fn form(pairs: &[(&str, &str)]) -> Submitted {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        Submitted::parse(body.as_bytes())
    }

    #[test]
    fn a_schema_becomes_typed_fields_and_the_form_the_payload_again() {
        let doc = doc();
        let s = Schemas::new(&doc).unwrap();
        let fields = s.fields(s.act("convene").unwrap());
        let kinds: BTreeMap<&str, &Kind> = fields.iter().map(|f| (f.key.as_str(), &f.kind)).collect();
        assert!(matches!(kinds["meeting_type"], Kind::Choice(c) if c.len() == 2));
        assert!(matches!(kinds["date"], Kind::Date));
        assert!(matches!(kinds["members"], Kind::Rows(sub) if sub.len() == 2));
        assert!(matches!(kinds["basis"], Kind::TextList));
        assert!(!fields.iter().find(|f| f.key == "note").unwrap().required);
        let sent = form(&[
            ("meeting_type", "executive"),
            ("date", "2026-03-02"),
            ("members.__rows", "3"),
            ("members[0].name", "张三"),
            ("members[0].user", "zhang"),
            ("members[1].name", "李四"),
            ("members[1].user", "li"),
            ("members[2].name", ""),
            ("members[2].user", ""),
            ("note", ""),
            ("count", "3"),
            ("basis", "《条例》\n\n第十五条\n"),
        ]);
        let p = payload(&fields, &sent).unwrap();
        assert_eq!(
            p,
            json!({"meeting_type": "executive", "date": "2026-03-02", "urgent": false, "count": 3,
                "members": [{"name": "张三", "user": "zhang"}, {"name": "李四", "user": "li"}],
                "basis": ["《条例》", "第十五条"]})
        );
    }

    #[test]
    fn what_cannot_be_read_is_named_by_field() {
        let doc = doc();
        let s = Schemas::new(&doc).unwrap();
        let fields = s.fields(s.act("convene").unwrap());
        let errs = payload(&fields, &form(&[("count", "three")])).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, "count");
    }

    #[test]
    fn sent_text_is_escaped_when_the_form_comes_back() {
        let doc = doc();
        let s = Schemas::new(&doc).unwrap();
        let fields = s.fields(s.act("convene").unwrap());
        let html = render(Lang::Zh, &fields, &form(&[("note", "<script>alert(1)</script>")]), &[]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"type="date""#));
    }

    #[test]
    fn china_time_is_the_zone_of_a_local_date_time() {
        assert_eq!(china_time("2026-03-02T09:30").as_deref(), Some("2026-03-02T09:30:00+08:00"));
        assert_eq!(china_time("nonsense"), None);
    }
}
