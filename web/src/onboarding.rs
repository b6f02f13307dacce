//! The signed-in home page's checklist, from first sign-in to the first number: create or join a
//! team → connect Facebook Ads (the owner) → choose the ad account and conversion event → open
//! the dashboard. Its state is read live, in one store call (the selected team's page, or my
//! teams when none is selected), so the home page stays within the page-view request budget.

use actix_session::Session;
use adboard_domain::account::UserId;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamRole;
use adboard_store::{Store, Team, User};
use serde::Serialize;

use crate::error::AppError;
use crate::teams;

/// One step: what to do, where to do it, whether it is done, and a short note.
#[derive(Debug, Serialize)]
pub struct Step {
    pub title: &'static str,
    pub href: String,
    pub done: bool,
    pub note: String,
}

/// The home page's data: who I am and my checklist.
#[derive(Debug)]
pub struct Home {
    pub user: User,
    pub steps: Vec<Step>,
}

/// What the checklist knows about the team I work on.
struct TeamState<'a> {
    team: &'a Team,
    role: TeamRole,
    /// `None` when not read (no team selected yet: its page was not read).
    connected: Option<bool>,
    /// Whether this is the session's selected team (the connectors page works on that one).
    selected: bool,
}

/// My checklist, or `None` if the session's user no longer exists.
pub async fn home(
    store: &dyn Store,
    session: &Session,
    me: UserId,
) -> Result<Option<Home>, AppError> {
    if let Some(id) = teams::selected_team(session)
        && let Some(page) = store.team_page(id).await?
        && let Some(mine) = page.member(me)
    {
        let connected = page
            .connectors
            .iter()
            .any(|c| c.platform == Platform::Facebook);
        let state = TeamState {
            team: &page.team,
            role: mine.role,
            connected: Some(connected),
            selected: true,
        };
        let steps = steps(Some(&state));
        return Ok(Some(Home {
            user: mine.user.clone(),
            steps,
        }));
    }
    let Some((user, mine)) = store.get_user_with_teams(me).await? else {
        return Ok(None);
    };
    let state = mine.first().map(|first| TeamState {
        team: &first.team,
        role: first.role,
        connected: None,
        selected: false,
    });
    let steps = steps(state.as_ref());
    Ok(Some(Home { user, steps }))
}

fn steps(state: Option<&TeamState<'_>>) -> Vec<Step> {
    let Some(state) = state else {
        return vec![
            Step {
                title: "Create or join a team",
                href: "/teams/new".into(),
                done: false,
                note: "Create one, or ask a team's owner to invite you.".into(),
            },
            waiting("Connect Facebook Ads", "The team's owner connects it."),
            waiting(
                "Choose the ad account and conversion event",
                "Which account's numbers, and which result counts as a conversion.",
            ),
            dashboard(),
        ];
    };
    let team = state.team;
    let team_page = format!("/teams/{}", team.id);
    let is_owner = state.role.is_owner();
    let connected = state.connected == Some(true);
    let has_account = team.settings.ad_account_id.is_some();
    let has_event = team.settings.conversion_event.is_some();
    let connect_note = match (state.connected, is_owner) {
        (Some(true), _) => "Connected.",
        (None, _) => "Open your team to see its connectors.",
        (Some(false), true) => "Sign in to Facebook and allow Adboard to read the team's ads.",
        (Some(false), false) => "Only the team's owner can connect it: ask them.",
    };
    let choose_href = if connected && is_owner && !has_account && state.selected {
        "/connectors/facebook/accounts".to_owned()
    } else if state.role.can_manage() {
        format!("/teams/{}/edit", team.id)
    } else {
        team_page.clone()
    };
    vec![
        Step {
            title: "Create or join a team",
            href: team_page.clone(),
            done: true,
            note: format!("Your team: {}.", team.name.as_str()),
        },
        Step {
            title: "Connect Facebook Ads",
            href: if is_owner && state.selected {
                "/connectors".to_owned()
            } else {
                team_page
            },
            done: connected,
            note: connect_note.into(),
        },
        Step {
            title: "Choose the ad account and conversion event",
            href: choose_href,
            done: has_account && has_event,
            note: format!(
                "Ad account: {}. Conversion event: {}.",
                if has_account { "chosen" } else { "not yet" },
                if has_event { "chosen" } else { "not yet" }
            ),
        },
        dashboard(),
    ]
}

fn waiting(title: &'static str, note: &str) -> Step {
    Step {
        title,
        href: "/teams/new".into(),
        done: false,
        note: note.into(),
    }
}

fn dashboard() -> Step {
    Step {
        title: "Open the dashboard",
        href: "/dashboard".into(),
        done: false,
        note: "Your team's results, once the steps above are done.".into(),
    }
}
