//! The order in which an act payload's fields were declared, so a generated
//! form asks for the title before the summary rather than alphabetically.
//! The API document lists properties in declaration order (utoipa's
//! `preserve_order`), but a `serde_json::Value` keeps object keys sorted; this
//! reads the document's text once more into insertion-ordered maps and keeps,
//! for each object schema, its properties in order, found by their key set.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Deserialize;

/// A JSON node that keeps object keys in document order.
#[derive(Deserialize)]
#[serde(untagged)]
enum Node {
    Object(IndexMap<String, Node>),
    Array(Vec<Node>),
    Leaf(serde::de::IgnoredAny),
}

/// Declared property order of every object schema in a document, by the schema's set of property names.
#[derive(Default)]
pub struct FieldOrder(HashMap<String, Vec<String>>);

fn set_key<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let mut k: Vec<&str> = keys.collect();
    k.sort_unstable();
    k.join("\u{1f}")
}

impl FieldOrder {
    /// The order in `doc` (the API document's JSON text); empty if it does not parse.
    pub fn of(doc: &str) -> FieldOrder {
        let mut found = FieldOrder::default();
        if let Ok(root) = serde_json::from_str::<Node>(doc) {
            found.walk(&root);
        }
        found
    }

    fn walk(&mut self, n: &Node) {
        match n {
            Node::Object(map) => {
                if let Some(Node::Object(props)) = map.get("properties") {
                    let names: Vec<String> = props.keys().cloned().collect();
                    self.0.entry(set_key(names.iter().map(String::as_str))).or_insert(names);
                }
                map.values().for_each(|v| self.walk(v));
            }
            Node::Array(items) => items.iter().for_each(|v| self.walk(v)),
            Node::Leaf(_) => {}
        }
    }

    /// Where `key` comes among the properties `all`, as declared; `None` if the schema is unknown.
    pub fn rank<'a>(&self, all: impl Iterator<Item = &'a str>) -> Option<HashMap<&str, usize>> {
        let order = self.0.get(&set_key(all))?;
        Some(order.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_keep_the_order_the_document_gives_them() {
        let doc = r#"{"components": {"schemas": {"A": {"properties": {"title": {}, "summary": {}, "all": {"type": "object",
            "properties": {"zeta": {}, "alpha": {}}}}}}}}"#;
        let order = FieldOrder::of(doc);
        let rank = order.rank(["summary", "all", "title"].into_iter()).expect("known");
        assert!(rank["title"] < rank["summary"] && rank["summary"] < rank["all"], "{rank:?}");
        let inner = order.rank(["alpha", "zeta"].into_iter()).expect("nested schema");
        assert!(inner["zeta"] < inner["alpha"]);
        assert!(order.rank(["nope"].into_iter()).is_none());
    }
}
