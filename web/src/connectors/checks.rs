//! Which teams' tokens were last asked about in this process, so a platform is asked at most once
//! an hour per team whatever the number of page views and workers. A leaf: the app state holds it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;

/// A platform is asked about a stored token at most this often per team.
pub const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// Which teams' tokens were last asked about, in this process: at most one check an hour per
/// team, whatever the number of page views and workers.
#[derive(Debug, Default)]
pub struct HealthChecks {
    last: Mutex<HashMap<(TeamId, Platform), Instant>>,
}

impl HealthChecks {
    /// Claims the check for `key` if none ran within [`CHECK_EVERY`].
    pub fn claim(&self, key: (TeamId, Platform)) -> bool {
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        match last.get(&key) {
            Some(at) if now.duration_since(*at) < CHECK_EVERY => false,
            _ => {
                last.insert(key, now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_check_an_hour_per_team() {
        let checks = HealthChecks::default();
        let key = (TeamId::new_random(), Platform::Facebook);
        assert!(checks.claim(key));
        assert!(!checks.claim(key));
        assert!(checks.claim((TeamId::new_random(), Platform::Facebook)));
    }
}
