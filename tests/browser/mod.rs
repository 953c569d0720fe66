//! The web UI in headless Chromium, driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`): each kind of user signs in and does
//! their main job in the browser, axe-core checks every page they see
//! (no serious or critical violation), and a screenshot of each is saved
//! under `target/browser-artifacts/` with the axe results (`axe.txt`).
//!
//! Without Chromium these tests say so and pass, unless
//! `JUECE_REQUIRE_BROWSER=1` (CI sets it: there a missing browser fails).

mod journeys;
mod screens;

/// One browser at a time: the machine running the suite has few cores.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use juece_tests::app::PASSWORD;
use juece_tests::http::Api;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser on one server.
pub struct Chrome {
    pub client: Client,
    pub base: String,
    driver: Child,
    axe: Option<String>,
    artifacts: PathBuf,
    /// Journey name, prefixing screenshot files.
    journey: String,
}

fn required() -> bool {
    std::env::var("JUECE_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// axe-core from the npm registry (`npm ci --prefix tests/browser`).
fn axe_source() -> Option<String> {
    let path = juece_tests::repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path).ok()
}

/// Start chromedriver and a headless Chromium for `journey`; `None` (the test passes, saying why) when there
/// is no browser on this machine and none is required.
pub async fn chrome(api: &Api, journey: &str) -> Option<Chrome> {
    let present = std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(!required(), "JUECE_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing");
        eprintln!("browser journey {journey} skipped: install Debian's chromium and chromium-driver");
        return None;
    }
    let axe = axe_source();
    assert!(
        axe.is_some() || !required(),
        "JUECE_REQUIRE_BROWSER=1 but axe-core is not installed (npm ci --prefix tests/browser)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let caps: serde_json::Map<String, Value> = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1024", "--lang=zh-CN"]
        }
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    let mut client = None;
    for _ in 0..100 {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let client = client.expect("chromedriver answers");
    let artifacts = juece_tests::repo_root().join("target/browser-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts folder");
    Some(Chrome { client, base: api.app.base.clone(), driver, axe, artifacts, journey: journey.to_string() })
}

impl Chrome {
    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("page loads");
    }

    /// The page's path (and query).
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        let q = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        format!("{}{q}", url.path())
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.client.find(Locator::Css("body")).await.expect("body").text().await.expect("text")
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("field {css}: {e}"));
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    /// Choose `value` in the select named `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        let select = self.client.find(Locator::Css(&format!("select[name='{name}']"))).await.expect("select");
        select.select_by_value(value).await.expect("option");
    }

    /// Click what `css` finds and wait for the page it leads to (every click in these journeys navigates).
    pub async fn click(&self, css: &str) {
        let el = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("button {css}: {e}"));
        self.navigate_by(el).await;
    }

    /// Tick a checkbox or radio button (no page follows).
    pub async fn tick(&self, css: &str) {
        let el = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("box {css}: {e}"));
        el.click().await.expect("tick");
    }

    pub async fn click_link(&self, text: &str) {
        let el = self.client.find(Locator::LinkText(text)).await.unwrap_or_else(|e| panic!("link {text}: {e}"));
        self.navigate_by(el).await;
    }

    async fn navigate_by(&self, el: fantoccini::elements::Element) {
        let old = self.client.find(Locator::Css("html")).await.expect("page");
        el.click().await.expect("click");
        // The old document goes stale when the next one replaces it.
        for _ in 0..200 {
            if old.tag_name().await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for _ in 0..200 {
            let state = self.client.execute("return document.readyState", vec![]).await;
            if state.is_ok_and(|s| s == "complete") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn sign_in(&self, user: &str) {
        self.open("/login").await;
        self.fill("#name", user).await;
        self.fill("#password", PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]").await;
        assert_eq!(self.path().await, "/", "signed in as {user}");
    }

    pub async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
    }

    /// axe-core on the page (no serious or critical violation), and a screenshot; both recorded as artifacts.
    pub async fn check_page(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.artifacts.join(format!("{}-{name}.png", self.journey)), png).expect("screenshot saved");
        let Some(axe) = &self.axe else { return };
        self.client.execute(axe, vec![]).await.expect("axe loads");
        let script = r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                  targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
              .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: 0, targets: [String(e)] }]));"#;
        let found = self.client.execute_async(script, vec![]).await.expect("axe runs");
        let violations = found.as_array().cloned().unwrap_or_default();
        let grave: Vec<&Value> =
            violations.iter().filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical"))).collect();
        let line = format!(
            "{}-{name}: {} violations ({} serious or critical) {}\n",
            self.journey,
            violations.len(),
            grave.len(),
            serde_json::to_string(&violations).unwrap_or_default()
        );
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.artifacts.join("axe.txt"))
            .expect("axe log");
        let _ = log.write_all(line.as_bytes());
        assert!(grave.is_empty(), "axe on {name}: {grave:?}");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
