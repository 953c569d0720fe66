//! The `juece` binary: parse the command line and hand over to `cli`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    juece_api::telemetry::init();
    let cli = juece_api::cli::Cli::parse();
    match juece_api::cli::run(cli).await {
        Ok(code) => std::process::ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
