//! The team a dashboard request works on (`?team=` or the session's selected team) and the
//! people a member without the role is told to ask.

use actix_session::Session;
use adboard_domain::account::UserId;
use adboard_domain::team::TeamRole;
use adboard_store::{Member, Store, TeamPage};

use crate::error::AppError;
use crate::teams;

/// The team a dashboard request works on: `?team=` if given (404 unless a member; it becomes the
/// selected team), else the session's selected team. `None`: no team selected, or the selected
/// team is gone or no longer the caller's (then it is unselected).
pub async fn working_team(
    store: &dyn Store,
    session: &Session,
    me: UserId,
    explicit: Option<&str>,
) -> Result<Option<(TeamPage, Member)>, AppError> {
    if let Some(raw) = explicit.filter(|r| !r.trim().is_empty()) {
        let (page, mine) = teams::team_page_for(store, raw, me).await?;
        teams::select_team(session, page.team.id, page.team.name.as_str(), mine.role)?;
        return Ok(Some((page, mine)));
    }
    let Some(id) = teams::selected_team(session) else {
        return Ok(None);
    };
    match teams::team_page_for(store, &id.to_string(), me).await {
        Ok(found) => Ok(Some(found)),
        Err(AppError::NotFound) => {
            teams::unselect_team(session, id);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Who a member without the role should ask: the owner and admins, by name.
pub fn managers(page: &TeamPage) -> Vec<String> {
    let mut people: Vec<_> = page
        .members
        .iter()
        .filter(|m| m.role.can_manage())
        .collect();
    people.sort_by_key(|m| m.role != TeamRole::Owner);
    people
        .into_iter()
        .map(|m| format!("{} ({})", m.user.name.as_str(), m.role.as_str()))
        .collect()
}

/// The team owner's name.
pub fn owner_name(page: &TeamPage) -> String {
    page.members
        .iter()
        .find(|m| m.role == TeamRole::Owner)
        .map(|m| m.user.name.as_str().to_owned())
        .unwrap_or_else(|| "the team's owner".to_owned())
}
