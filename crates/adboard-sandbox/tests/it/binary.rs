//! The `adboard-sandbox` binary: starts on loopback, prints its base URL and credentials.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the child process even when an assertion fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_base_url_and_credentials_and_serves_on_loopback() {
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_adboard-sandbox"))
            .args(["--port", "0", "--redirect-uri", "http://127.0.0.1:1/cb"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take(20)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut lines = Vec::new();
    while Instant::now() < deadline
        && !lines
            .iter()
            .any(|l: &String| l.contains("test user:     bob"))
    {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    let base = lines
        .iter()
        .find_map(|l| l.strip_prefix("adboard-sandbox listening on "))
        .map(str::to_owned);
    {
        let base = base.expect("base URL printed");
        assert!(base.starts_with("http://127.0.0.1:"));
        assert!(
            lines
                .iter()
                .any(|l| l.contains("sandbox-app") && l.contains("sandbox-secret"))
        );
        let token: serde_json::Value = reqwest::Client::new()
            .post(format!("{base}/__sandbox/token?user=alice"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let me = reqwest::get(format!(
            "{base}/v26.0/me?access_token={}",
            token["access_token"].as_str().unwrap()
        ))
        .await
        .unwrap();
        assert_eq!(me.status(), 200);
    }
    drop(child);
}
