//! The OpenAPI 3.1 document and a reference page that renders it. The page
//! is written here, with its script and style inline: nothing is fetched
//! from the internet at build or run time.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::server::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json)).routes(routes!(reference))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "docs",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)))]
async fn openapi_json(State(s): State<AppState>) -> Response {
    let doc = s.openapi.get().cloned().unwrap_or_else(|| "{}".into());
    ([(header::CONTENT_TYPE, "application/json")], doc).into_response()
}

/// A readable reference of this API, rendered in the browser from the document.
#[utoipa::path(get, path = "/api/v1/docs", tag = "docs",
    responses((status = 200, description = "HTML", content_type = "text/html", body = String)))]
async fn reference(State(s): State<AppState>) -> Response {
    // The acts, rendered here from the served document; the rest of the page renders it in the browser.
    let doc: serde_json::Value = s.openapi.get().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    let page = REFERENCE_PAGE.replacen(
        "<main id=\"ops\">",
        &format!("{}<main id=\"ops\">", super::docs_acts::section(&doc)),
        1,
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
            ),
        ],
        page,
    )
        .into_response()
}

/// Renders with `textContent` only, so nothing in the document is interpreted as HTML.
const REFERENCE_PAGE: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>juece API 参考 / reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}
h2{border-bottom:1px solid #ccc;margin-top:2rem}.op{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #36c;background:#f6f8fb}
.m{font-weight:bold;text-transform:uppercase;margin-right:.5rem}code,pre{font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.5rem;font-size:13px}
</style></head><body>
<h1>juece API</h1><p id="desc"></p><p><a href="/api/v1/openapi.json">openapi.json</a></p><main id="ops">…</main>
<script>
function el(tag, text, cls){const e=document.createElement(tag);if(text!==undefined)e.textContent=text;if(cls)e.className=cls;return e;}
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('desc').textContent=doc.info.description||'';
  const main=document.getElementById('ops');main.textContent='';
  const byTag={};
  for(const [path,item] of Object.entries(doc.paths||{})){
    for(const [method,op] of Object.entries(item)){
      const tag=(op.tags||['other'])[0];(byTag[tag]=byTag[tag]||[]).push([method,path,op]);
    }
  }
  for(const [tag,ops] of Object.entries(byTag)){
    main.appendChild(el('h2',tag));
    for(const [method,path,op] of ops){
      const d=el('div',undefined,'op');const h=el('div');h.appendChild(el('span',method,'m'));h.appendChild(el('code',path));d.appendChild(h);
      if(op.summary||op.description)d.appendChild(el('p',op.summary||op.description));
      const params=(op.parameters||[]).map(p=>p.in+' '+p.name+(p.required?' (required)':'')+(p.description?' — '+p.description:''));
      if(params.length)d.appendChild(el('pre','parameters:\n'+params.join('\n')));
      if(op.requestBody)d.appendChild(el('pre','body: '+JSON.stringify(op.requestBody.content,null,1)));
      d.appendChild(el('pre','responses: '+Object.keys(op.responses||{}).join(', ')));
      main.appendChild(d);
    }
  }
}).catch(e=>{document.getElementById('ops').textContent='could not load the document: '+e;});
</script></body></html>"#;
