//! The `juece-bench` binary: parse the flags and run the benchmark (`juece_bench::run`).

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = juece_bench::Args::parse();
    match juece_bench::run(&args, &mut std::io::stdout()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
