//! What a responsibility-tracing case must hold (Arts. 38–41): the article
//! it is traced under, the grounds, named people, and acts that are in the
//! decision's record; a conclusion needs a finding, its reasoning and, when
//! someone is liable, the measures.

use crate::codes;
use crate::procedure::facts::AccountabilityCase;
use crate::procedure::gates::{ensure, GateCtx};
use crate::refusal::{bi, Detail};

/// The case this act opened (the last one, after the act).
fn opened<'a>(c: &'a GateCtx<'_>) -> Option<&'a AccountabilityCase> {
    (c.after.accountability.len() > c.before.accountability.len()).then(|| c.after.accountability.last()).flatten()
}

pub(crate) fn accountability_case_complete(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(case) = opened(c) else { return Err(bi("未启动案件", "no case was opened")) };
    let articles = codes::list(codes::ACCOUNTABILITY_ARTICLES);
    ensure(codes::allows(codes::ACCOUNTABILITY_ARTICLES, &case.article), || {
        bi(format!("所依条款须为：{articles}"), format!("article must be one of {articles}"))
    })?;
    ensure(!case.grounds.is_empty(), || bi("未载明事由", "the grounds are empty"))?;
    ensure(!case.persons.is_empty(), || bi("未载明被追究人员", "the case names no person"))?;
    let blank = case.persons.iter().position(|p| p.name.is_empty() || p.unit.is_empty() || p.position.is_empty());
    ensure(blank.is_none(), || {
        let n = blank.unwrap_or(0) + 1;
        bi(format!("第{n}名人员须载明姓名、单位和职务"), format!("person {n} needs a name, a unit and a position"))
    })?;
    ensure(!case.acts.is_empty(), || bi("未载明所涉的记录中行为", "the case names no act of the record"))
}

/// Every act the case names is in this decision's record: positions 1 … the last act before this one.
pub(crate) fn accountability_acts_recorded(c: &GateCtx<'_>) -> Result<(), Detail> {
    let Some(case) = opened(c) else { return Ok(()) };
    let unknown: Vec<String> = case.acts.iter().filter(|s| **s < 1 || **s >= c.seq).map(i64::to_string).collect();
    let (last, list) = (c.seq - 1, unknown.join(", "));
    ensure(unknown.is_empty(), || {
        bi(format!("不在本决策记录（第1至{last}项）中：{list}"), format!("not in the record (1–{last}): {list}"))
    })
}

/// The case to conclude exists and has no conclusion yet (a conclusion is never replaced).
pub(crate) fn accountability_case_open(c: &GateCtx<'_>) -> Result<(), Detail> {
    let number = c.payload.get("case").and_then(serde_json::Value::as_u64).unwrap_or(0);
    match c.before.accountability.iter().find(|k| u64::from(k.number) == number) {
        None => Err(bi(format!("没有第{number}号案件"), format!("there is no case {number}"))),
        Some(k) if k.conclusion.is_some() => {
            Err(bi(format!("第{number}号案件已办结"), format!("case {number} is already concluded")))
        }
        Some(_) => Ok(()),
    }
}

pub(crate) fn accountability_conclusion_reasoned(c: &GateCtx<'_>) -> Result<(), Detail> {
    let number = c.payload.get("case").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let Some(k) = c.after.accountability.iter().find(|k| u64::from(k.number) == number) else { return Ok(()) };
    let Some(end) = &k.conclusion else { return Ok(()) };
    let findings = codes::list(codes::CASE_FINDINGS);
    ensure(codes::allows(codes::CASE_FINDINGS, &end.finding), || {
        bi(format!("认定结果须为：{findings}"), format!("finding must be one of {findings}"))
    })?;
    ensure(!end.reasoning.is_empty(), || bi("未载明理由", "the reasoning is empty"))?;
    ensure(end.finding != "liable" || !end.measures.is_empty(), || {
        bi("认定责任成立的须载明处理措施", "a liable finding states the measures")
    })
}
