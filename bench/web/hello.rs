//! A hello-world actix handler on `BIND_ADDR`, the baseline `bench/web/run.sh` compares
//! `GET /profile` against (an example of the web crate: same actix version, same worker count).
//! Run: `cargo run --release -p adboard-web --example bench_hello`.

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
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
