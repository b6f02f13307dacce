//! `adboard --bench-hello`: a hello-world actix handler on `BIND_ADDR`, the baseline the benchmark
//! (`bench/web/run.sh`) compares `GET /profile` against. Same actix version, same worker count.

use actix_web::{App, HttpResponse, HttpServer, web};

pub async fn run() -> anyhow::Result<()> {
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8081".into());
    HttpServer::new(|| {
        App::new().route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("Hello, world!") }),
        )
    })
    .bind(addr)?
    .run()
    .await?;
    Ok(())
}
