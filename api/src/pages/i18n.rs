//! The UI's languages: Chinese (zh-CN) by default, English by switch. The
//! words live in Fluent catalogues (`api/locales/<lang>/main.ftl`), embedded
//! in the binary; templates reach them through the `fluent` helper and the
//! `lang` of their context, Rust code through [`Lang::t`].

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // No Unicode isolation marks around arguments: they would land in the HTML as invisible characters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "juece_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// From a cookie or query value; anything unknown is Chinese.
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The tag for `lang` attributes and the catalogues.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The short code of links and cookies, and of memos (`zh`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn id(self) -> LanguageIdentifier {
        // Both tags are valid literals.
        self.tag().parse().unwrap_or_default()
    }

    /// A message; its key when the catalogue has none (visible, so a missing word is noticed).
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(&self.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// A message with arguments.
    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (std::borrow::Cow::Owned(k.to_string()), FluentValue::from(v.clone()))).collect();
        LOCALES.try_lookup_with_args(&self.id(), key, &map).unwrap_or_else(|| key.to_string())
    }

    /// A message when the catalogue has one.
    pub fn lookup(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.id(), key)
    }

    /// An act's name as people say it; the act's key when the catalogue lacks it.
    pub fn act(self, act: &str) -> String {
        self.lookup(&format!("act-{act}")).unwrap_or_else(|| act.replace('_', " "))
    }

    /// An allowed value (a stance, an outcome, a conclusion) in words; the value itself when the catalogue lacks it.
    pub fn choice(self, value: &str) -> String {
        self.lookup(&format!("choice-{value}")).unwrap_or_else(|| value.to_string())
    }

    /// A role's name.
    pub fn role(self, role: &str) -> String {
        self.lookup(&format!("role-{role}")).unwrap_or_else(|| role.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of one catalogue is in the other: no page shows a raw key in one language only.
    #[test]
    fn both_catalogues_have_the_same_keys() {
        let keys = |text: &str| -> std::collections::BTreeSet<String> {
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                .filter_map(|l| l.split(" = ").next().map(str::to_string))
                .collect()
        };
        let zh = keys(include_str!("../../locales/zh-CN/main.ftl"));
        let en = keys(include_str!("../../locales/en/main.ftl"));
        assert!(zh.len() > 100, "the catalogue holds the UI's words");
        assert_eq!(zh.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "keys missing in English");
        assert_eq!(en.difference(&zh).collect::<Vec<_>>(), Vec::<&String>::new(), "keys missing in Chinese");
    }

    #[test]
    fn messages_come_in_the_asked_language_with_arguments() {
        assert_eq!(Lang::Zh.t("sign-in"), "登录");
        assert_eq!(Lang::En.t("sign-in"), "Sign in");
        assert_eq!(Lang::Zh.t_args("form-row", &[("n", "2".into())]), "第2项");
        assert_eq!(Lang::En.act("record_stance"), "State your stance");
        assert_eq!(Lang::En.act("no_such_act"), "no such act");
    }
}
