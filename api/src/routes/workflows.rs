//! The loaded procedures: their stages and acts, and the stage graph.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use juece_engine::definition::Workflow;
use juece_engine::render::graph;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Params;
use crate::extract::Caller;
use juece_engine::refusal::Detail;

use crate::problem::Problem;
use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_workflows)).routes(routes!(workflow_graph))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageOut {
    pub key: String,
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub terminal: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActOut {
    pub name: String,
    pub stages: Vec<String>,
    pub to: Option<String>,
    pub roles: Vec<String>,
    pub article: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowOut {
    pub key: String,
    pub version: u32,
    pub title_zh: String,
    pub title_en: String,
    pub jurisdiction: Option<String>,
    pub start: String,
    pub stages: Vec<StageOut>,
    pub acts: Vec<ActOut>,
}

fn out(w: &Workflow) -> WorkflowOut {
    WorkflowOut {
        key: w.key.clone(),
        version: w.version,
        title_zh: w.title_zh.clone(),
        title_en: w.title_en.clone(),
        jurisdiction: w.jurisdiction.clone(),
        start: w.start.clone(),
        stages: w
            .stages
            .values()
            .map(|s| StageOut {
                key: s.key.clone(),
                kind: s.kind.as_str().into(),
                title_zh: s.title_zh.clone(),
                title_en: s.title_en.clone(),
                terminal: s.terminal,
            })
            .collect(),
        acts: w
            .acts
            .values()
            .map(|a| ActOut {
                name: a.name.clone(),
                stages: a.stages.iter().cloned().collect(),
                to: a.to.clone(),
                roles: a.roles.iter().map(|r| r.as_str().to_string()).collect(),
                article: a.article.clone(),
            })
            .collect(),
    }
}

/// Every loaded workflow (each version).
#[utoipa::path(get, path = "/api/v1/workflows", tag = "workflows",
    responses((status = 200, body = Vec<WorkflowOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn list_workflows(State(s): State<AppState>, Caller(_caller): Caller) -> Json<Vec<WorkflowOut>> {
    Json(s.engine.workflows().map(out).collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GraphParams {
    /// `dot` (default), `mermaid` or `svg`.
    #[param(pattern = "^(dot|mermaid|svg)$")]
    pub format: Option<String>,
}

/// The stage graph of the latest version of a workflow.
#[utoipa::path(get, path = "/api/v1/workflows/{key}/graph", tag = "workflows",
    params(("key" = String, Path, description = "workflow key"), GraphParams),
    responses((status = 200, description = "DOT, Mermaid or SVG",
            content((String = "text/vnd.graphviz"), (String = "text/plain"), (String = "image/svg+xml"))),
        (status = "4XX", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("session" = [])))]
async fn workflow_graph(
    State(s): State<AppState>,
    Caller(_caller): Caller,
    Path(key): Path<String>,
    Params(p): Params<GraphParams>,
) -> Response {
    let Some(w) = s.engine.workflows().filter(|w| w.key == key).max_by_key(|w| w.version) else {
        return Problem::not_found(Detail::new(format!("决策程序 {key}"), format!("workflow {key}"))).into_response();
    };
    let (content_type, body) = match p.format.as_deref().unwrap_or("dot") {
        "dot" => ("text/vnd.graphviz; charset=utf-8", graph::dot(w)),
        "mermaid" => ("text/plain; charset=utf-8", graph::mermaid(w)),
        "svg" => match graph::svg(w) {
            Ok(svg) => ("image/svg+xml", svg),
            Err(e) => return Problem::internal(&e).into_response(),
        },
        other => {
            return Problem::bad_request(
                "invalid_query",
                Detail::new(
                    format!("格式 {other:?}：应为 dot、mermaid 或 svg"),
                    format!("format {other:?}: dot, mermaid or svg"),
                ),
            )
            .into_response()
        }
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}
