//! The `adboard` binary: loads settings, starts telemetry, and runs the app (see `startup`).

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    println!("Adboard listening on http://{addr}");
    HttpServer::new(|| App::new().route("/", web::get().to(|| async { HttpResponse::Ok().body("Adboard") })))
        .bind(addr)?
        .run()
        .await
}
