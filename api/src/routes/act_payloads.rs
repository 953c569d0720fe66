//! Each act's payload in the API document. The act is named in the path (`/decisions/{id}/acts/{act}`, and its
//! what-if `/decisions/{id}/checks/{act}`), so one operation takes every act: the document gets a schema per act,
//! `ActPayload.<act>`, derived from the type its engine handler parses; the operation's request body admits any of
//! them, and its `x-act-payloads` extension maps each act name to its own schema, for clients and generators.
//! `POST /api/v1/decisions` opens a record with its first act (`act.payload`): its `x-act-payloads` maps each act
//! that can open a record of a workflow (an act of the workflow's first stage) to its schema, and
//! `x-opening-acts` lists those acts by workflow; its request body has one example per workflow and opening act.

use std::collections::BTreeMap;

use juece_engine::orchestrator::Engine;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::AnyOfBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, Schema};

/// The operation that opens a record with its first act, named in the body.
pub const OPEN_PATH: &str = "/api/v1/decisions";

/// The acts that give a new record its subject: a proposal, a catalogue, a pool. The other acts of a first stage
/// (starting, declining, the engine's own) act on a record that exists, so the body examples of
/// [`OPEN_PATH`] show these only; a test opens a record with each.
const SUBJECT_ACTS: [&str; 3] = ["submit_proposal", "create_catalogue", "create_pool"];

/// The operations that take an act's payload, the act named in the path: applying it, and checking it.
pub const ACT_PATHS: [&str; 2] = ["/api/v1/decisions/{id}/acts/{act}", "/api/v1/decisions/{id}/checks/{act}"];

/// Each act's example payload. For an act the demo takes (`juece demo`), the demo's, the first it was accepted with:
/// a test (`tests/api/act_examples.rs`) runs the demo and fails when they differ. Every other act's example is taken
/// verbatim by a tour of the engine (`tests/api/act_examples_tour.rs`), which fails when one is refused. Every act
/// of every workflow must have one, matching its schema.
const EXAMPLES: &str = include_str!("act_examples.json");

/// The example of each act that has one.
pub fn examples() -> BTreeMap<String, serde_json::Value> {
    // The file is part of the binary and checked by the tests: unreadable, it would have failed them.
    serde_json::from_str(EXAMPLES).unwrap_or_default()
}

/// The component name of `act`'s payload schema.
fn schema_name(act: &str) -> String {
    format!("ActPayload.{act}")
}

/// Add every loaded act's payload schema to `doc` and describe the acts operation's body with them.
pub fn document(doc: &mut OpenApi, engine: &Engine) {
    // An act keeps its handler across workflows and profiles; the first definition met names it.
    let mut handlers: BTreeMap<&str, &str> = BTreeMap::new();
    for w in engine.workflows() {
        for a in w.acts.values() {
            handlers.entry(a.name.as_str()).or_insert(a.handler.as_str());
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    let examples = examples();
    let mut documented = Vec::new();
    for (act, handler) in handlers {
        // Every handler has a schema: definitions naming an unknown handler do not load.
        let Some(mut payload) = juece_engine::procedure::acts::payload_schema(handler) else { continue };
        if let (Some(example), RefOr::T(Schema::Object(o))) = (examples.get(act), &mut payload.schema) {
            o.examples = vec![example.clone()];
        }
        components.schemas.insert(schema_name(act), payload.schema);
        for (name, schema) in payload.components {
            components.schemas.entry(name).or_insert(schema);
        }
        documented.push(act);
    }
    let by_act: serde_json::Map<String, serde_json::Value> = documented
        .iter()
        .map(|act| {
            (act.to_string(), serde_json::json!({ "$ref": format!("#/components/schemas/{}", schema_name(act)) }))
        })
        .collect();
    for path in ACT_PATHS {
        let Some(op) = doc.paths.paths.get_mut(path).and_then(|item| item.post.as_mut()) else { continue };
        let any = documented.iter().fold(AnyOfBuilder::new(), |b, act| b.item(Ref::from_schema_name(schema_name(act))));
        let content = ContentBuilder::new().schema(Some(Schema::AnyOf(any.build()))).build();
        op.request_body = Some(
            RequestBodyBuilder::new()
                .description(Some("the act's payload: the schema `x-act-payloads` names for the act in the path"))
                .content("application/json", content)
                .required(Some(Required::True))
                .build(),
        );
        let extensions: Extensions =
            [("x-act-payloads", serde_json::Value::Object(by_act.clone()))].into_iter().collect();
        op.extensions.get_or_insert_with(Default::default).merge(extensions);
    }
    document_opening(doc, engine, &by_act);
}

/// `POST /api/v1/decisions`: the acts that can open a record of each workflow, and their payloads.
fn document_opening(doc: &mut OpenApi, engine: &Engine, by_act: &serde_json::Map<String, serde_json::Value>) {
    let mut opening: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for w in engine.workflows() {
        let acts = opening.entry(w.key.clone()).or_default();
        for a in w.acts.values().filter(|a| a.stages.contains(&w.start)) {
            if !acts.contains(&a.name) {
                acts.push(a.name.clone());
            }
        }
    }
    let payloads: serde_json::Map<String, serde_json::Value> = (opening.values().flatten())
        .filter_map(|act| by_act.get(act).map(|schema| (act.clone(), schema.clone())))
        .collect();
    let Some(op) = doc.paths.paths.get_mut(OPEN_PATH).and_then(|item| item.post.as_mut()) else { return };
    // A whole request body per opening act, named `<workflow>.<act>`: what a client sends to open each kind of
    // record, with the act's own example as its payload.
    let examples = examples();
    if let Some(content) = op.request_body.as_mut().and_then(|b| b.content.get_mut("application/json")) {
        for (workflow, acts) in &opening {
            for act in acts.iter().filter(|a| SUBJECT_ACTS.contains(&a.as_str())) {
                let Some(payload) = examples.get(act) else { continue };
                let body = serde_json::json!({ "workflow": workflow, "act": { "name": act, "payload": payload } });
                let example = ExampleBuilder::new().summary(format!("open a `{workflow}` record with `{act}`"));
                content.examples.insert(format!("{workflow}.{act}"), RefOr::T(example.value(Some(body)).build()));
            }
        }
    }
    let extensions: Extensions =
        [("x-act-payloads", serde_json::Value::Object(payloads)), ("x-opening-acts", serde_json::json!(opening))]
            .into_iter()
            .collect();
    op.extensions.get_or_insert_with(Default::default).merge(extensions);
}
