//! Errors as RFC 9457 `application/problem+json`, carrying the engine's
//! `reason_code`, article and Chinese and English messages, plus every
//! reason of a multi-reason refusal. A server error says nothing of its
//! cause: the cause is logged inside the request's span (which carries the
//! request id) and the client quotes the `x-request-id` it received.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use juece_engine::auth::AuthError;
use juece_engine::calendar::cst;
use juece_engine::refusal::{Detail, Reason, Refusal};
use juece_engine::Error;
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// One reason of a refusal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemReason {
    pub reason_code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
    pub detail: Option<String>,
}

impl From<&Reason> for ProblemReason {
    fn from(r: &Reason) -> Self {
        ProblemReason {
            reason_code: r.reason_code.clone(),
            article: r.article.clone(),
            message_zh: r.message_zh.clone(),
            message_en: r.message_en.clone(),
            detail: r.detail.clone(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:juece:problem:<reason_code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub reason_code: String,
    pub article: String,
    pub message_zh: String,
    pub message_en: String,
    /// Every reason, the first being the headline (one for most errors).
    pub reasons: Vec<ProblemReason>,
    /// Present on server errors: quote it when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// On a `version_conflict`: the decision's version now (reload, then act with this `expected_version`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

impl Problem {
    /// A problem with one reason that is not an article of the Decree.
    pub fn new(status: StatusCode, code: &str, zh: &str, en: &str, detail: Detail) -> Problem {
        let reason = Reason::new(code, "", zh, en).with_detail(detail);
        Problem::from_reasons(status, &[reason])
    }

    pub fn from_reasons(status: StatusCode, reasons: &[Reason]) -> Problem {
        let head = reasons.first();
        let code = head.map(|r| r.reason_code.as_str()).unwrap_or("error");
        Problem {
            type_: format!("urn:juece:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            // Without specifics, the message itself, in both languages as every detail is.
            detail: head.and_then(|r| r.detail.clone()).unwrap_or_else(|| {
                head.map(|r| Detail::new(&r.message_zh, &r.message_en).to_string()).unwrap_or_default()
            }),
            reason_code: code.to_string(),
            article: head.map(|r| r.article.clone()).unwrap_or_default(),
            message_zh: head.map(|r| r.message_zh.clone()).unwrap_or_default(),
            message_en: head.map(|r| r.message_en.clone()).unwrap_or_default(),
            reasons: reasons.iter().map(ProblemReason::from).collect(),
            request_id: None,
            current_version: None,
        }
    }

    pub fn refused(r: &Refusal) -> Problem {
        // Who may act is an authorization question (403); anything else the law refuses is 422.
        let status = match r.reason_code() {
            "role_not_permitted"
            | "not_assigned"
            | "expert_opinion_sealed"
            | "confidentiality_undertaking_required" => StatusCode::FORBIDDEN,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Problem::from_reasons(status, &r.reasons)
    }

    /// A server error: the cause goes to the log, never to the client.
    pub fn internal(cause: &dyn std::fmt::Display) -> Problem {
        tracing::error!(error = %cause, "request failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "服务器内部错误",
            "internal server error",
            Detail::new(
                "服务器未能完成请求；报告问题时请引用 x-request-id 响应头",
                "the server could not complete the request; quote the x-request-id header when reporting it",
            ),
        )
    }

    pub fn unauthenticated() -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录",
            "sign in or send a bearer token",
            Detail::new(
                "该接口需要会话 Cookie 或者 Authorization: Bearer 令牌",
                "this endpoint needs a session cookie or an Authorization: Bearer token",
            ),
        )
    }

    pub fn bad_request(code: &str, detail: Detail) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, code, "请求格式错误", "malformed request", detail)
    }

    pub fn not_found(detail: Detail) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", "未找到", "not found", detail)
    }

    /// The generic problem for a bare status (fallbacks, layers outside the handlers).
    pub fn for_status(status: StatusCode) -> Problem {
        let (code, zh, en) = match status.as_u16() {
            404 => ("not_found", "未找到", "not found"),
            405 => ("method_not_allowed", "不支持该请求方法", "method not allowed"),
            413 => ("payload_too_large", "请求体过大", "request body too large"),
            415 => ("unsupported_media_type", "不支持的内容类型", "unsupported content type"),
            429 => ("rate_limited", "请求过于频繁，请稍后再试", "too many requests; retry later"),
            408 => ("request_timeout", "请求超时", "request timeout"),
            s if s >= 500 => ("internal_error", "服务器内部错误", "internal server error"),
            _ => ("bad_request", "请求错误", "bad request"),
        };
        Problem::new(status, code, zh, en, Detail::new(zh, en))
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        resp
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        match e {
            Error::Refused(r) => Problem::refused(&r),
            Error::NotFound(what) => {
                Problem::not_found(Detail::new(format!("未找到 {what}"), format!("{what} not found")))
            }
            Error::UnknownWorkflow(w) => Problem::new(
                StatusCode::NOT_FOUND,
                "unknown_workflow",
                "没有该决策程序",
                "no such workflow",
                Detail::new(format!("决策程序 {w} 未加载"), format!("workflow {w} is not loaded")),
            ),
            Error::Conflict { decision_id, current } => conflict(&decision_id, current),
            // A retry took the key over after the lease: this request's act was not committed.
            Error::KeyInFlight(_) => crate::idempotency::in_flight(),
            Error::AlreadyExists(id) => Problem::new(
                StatusCode::CONFLICT,
                "already_exists",
                "已存在",
                "already exists",
                Detail::new(format!("{id} 已存在"), format!("{id} already exists")),
            ),
            other => Problem::internal(&other),
        }
    }
}

/// A version conflict (409), naming the version the decision is at now so the caller can reload and retry.
pub fn conflict(decision_id: &str, current: Option<i64>) -> Problem {
    let detail = match current {
        Some(v) => Detail::new(
            format!("决策事项 {decision_id} 当前版本为 {v}"),
            format!("decision {decision_id} is now at version {v}"),
        ),
        None => Detail::new(format!("决策事项 {decision_id}"), format!("decision {decision_id}")),
    };
    let mut p = Problem::new(
        StatusCode::CONFLICT,
        "version_conflict",
        "该决策已被他人更新，请刷新后重试",
        "the decision changed since you read it; reload and retry",
        detail,
    );
    p.current_version = current;
    p
}

impl From<AuthError> for Problem {
    fn from(e: AuthError) -> Problem {
        match e {
            AuthError::InvalidCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "用户名或密码错误",
                "wrong user name or password",
                Detail::new("用户名或密码错误", "wrong user name or password"),
            ),
            AuthError::Locked { until } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "login_locked",
                "该账户登录失败次数过多，已暂时锁定，请稍后再试",
                "too many failed sign-ins for this account; try again later",
                Detail::new(
                    format!("可于{}再次登录", cst::zh(until)),
                    format!("sign-in opens again at {}", cst::en(until)),
                ),
            ),
            AuthError::UnknownUser(n) => Problem::not_found(Detail::new(format!("用户 {n}"), format!("user {n}"))),
            AuthError::AlreadyExists(n) => Problem::new(
                StatusCode::CONFLICT,
                "already_exists",
                "已存在",
                "already exists",
                Detail::new(format!("用户 {n} 已存在"), format!("user {n} already exists")),
            ),
            AuthError::Invalid(msg) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", "输入不符合要求", "invalid input", msg)
            }
            AuthError::Unit(r) => Problem::from_reasons(StatusCode::UNPROCESSABLE_ENTITY, &[r]),
            AuthError::Store(e) => Problem::internal(&e),
        }
    }
}

impl From<juece_engine::units::UnitError> for Problem {
    fn from(e: juece_engine::units::UnitError) -> Problem {
        use juece_engine::units::UnitError;
        match e {
            // A name another unit has or had conflicts with the directory as it is; other refusals are input.
            UnitError::Refused(r) if r.reason_code == "unit_name_taken" => {
                Problem::from_reasons(StatusCode::CONFLICT, &[r])
            }
            UnitError::Refused(r) => Problem::from_reasons(StatusCode::UNPROCESSABLE_ENTITY, &[r]),
            UnitError::Forbidden(r) => Problem::from_reasons(StatusCode::FORBIDDEN, &[r]),
            UnitError::NotFound(id) => Problem::not_found(Detail::new(format!("单位 {id}"), format!("unit {id}"))),
            UnitError::Store(e) => Problem::internal(&e),
        }
    }
}
