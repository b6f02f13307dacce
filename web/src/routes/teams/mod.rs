//! The Teams pages: my teams (and the invitations waiting for me), create a team, the team page;
//! editing, inviting, answering invitations and membership actions live in the submodules. Team-scoped handlers take a [`TeamAccess`] or
//! [`crate::extract::TeamAction`], which authorise (and check CSRF) before the handler runs.

mod invitations;
mod manage;
mod members;

use actix_session::Session;
use actix_web::{HttpResponse, web};
use adboard_domain::account::UserId;
use adboard_domain::team::{TeamId, TeamName, TeamRole};
use adboard_store::{InvitationForMe, MyTeam, Store, StoreError, Team, TeamPage, User};
use serde::{Deserialize, Serialize};

pub use invitations::{accept as accept_invitation, decline as decline_invitation};
pub use manage::{edit_form, invite, invite_form, revoke, update};
pub use members::{delete, delete_form, leave, remove, set_role, transfer};

use super::{flash_and_redirect, redirect};
use crate::connectors;
use crate::error::AppError;
use crate::extract::{Csrf, SessionUser, SignedIn, TeamAccess, TeamAction};
use crate::forms::{FormErrors, render_form};
use crate::session;
use crate::state::AppState;
use crate::teams;
use crate::templates::{Nav, html, page_context};

/// A team as the templates see it (never its Facebook token).
#[derive(Debug, Serialize)]
struct TeamView {
    id: String,
    name: String,
    ad_account_id: Option<String>,
    conversion_event: Option<String>,
}

impl From<&Team> for TeamView {
    fn from(team: &Team) -> Self {
        Self {
            id: team.id.to_string(),
            name: team.name.as_str().to_owned(),
            ad_account_id: team
                .settings
                .ad_account_id
                .as_ref()
                .map(|a| a.as_str().to_owned()),
            conversion_event: team
                .settings
                .conversion_event
                .as_ref()
                .map(|e| e.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Serialize)]
struct MyTeamRow {
    team: TeamView,
    role: &'static str,
    /// The team the connectors page and the dashboard work on.
    selected: bool,
}

#[derive(Debug, Serialize)]
struct MemberRow {
    id: String,
    name: String,
    email: Option<String>,
    role: &'static str,
    is_owner: bool,
    is_me: bool,
}

/// An invitation waiting for my answer.
#[derive(Debug, Serialize)]
struct MyInvitationRow {
    team_id: String,
    team_name: String,
    invited_by: Option<String>,
    role: &'static str,
}

impl From<&InvitationForMe> for MyInvitationRow {
    fn from(i: &InvitationForMe) -> Self {
        Self {
            team_id: i.invitation.team.to_string(),
            team_name: i.team_name.as_str().to_owned(),
            invited_by: i.invited_by_name.as_ref().map(|n| n.as_str().to_owned()),
            role: i.invitation.role.as_str(),
        }
    }
}

#[derive(Debug, Serialize)]
struct InvitationRow {
    email: String,
    role: &'static str,
    created_at: String,
}

/// The page of team `id`.
fn team_url(id: TeamId) -> String {
    format!("/teams/{id}")
}

/// A page about one team (edit, invite, delete): the layout plus the team.
fn team_page_context(
    user: &User,
    team: &Team,
    session: &Session,
    extra: impl FnOnce(&mut tera::Context),
) -> Result<tera::Context, AppError> {
    let mut context = page_context(session, Some(user), Nav::Teams)?;
    context.insert("team", &TeamView::from(team));
    extra(&mut context);
    Ok(context)
}

/// A team's form page (edit, invite, delete) showing `values`, without errors.
fn team_form_page<R>(
    access: &TeamAccess<R>,
    session: &Session,
    state: &AppState,
    template: &str,
    values: &impl Serialize,
    extra: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, AppError> {
    let context = team_page_context(&access.user, &access.team, session, extra)?;
    let page = render_form(
        &state.templates,
        template,
        context,
        values,
        &FormErrors::default(),
    )?;
    Ok(html(page))
}

/// A team's form sent back with `errors` beside its fields and the typed `values`.
fn team_form_rejected<R, F: Serialize>(
    action: &TeamAction<R, F>,
    session: &Session,
    state: &AppState,
    template: &str,
    errors: FormErrors,
    extra: impl FnOnce(&mut tera::Context),
) -> AppError {
    match team_page_context(&action.user, &action.team, session, extra) {
        Ok(context) => errors.reject(&state.templates, template, context, &action.form),
        Err(err) => err,
    }
}

/// `GET /teams`: the invitations waiting for my answer, my teams with my role, or the "Create a
/// team" call to action — one store read.
pub async fn list(
    me: SessionUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(overview) = state.store.teams_overview(me.id).await? else {
        return Err(me.gone(&session));
    };
    let (user, mine) = (&overview.user, &overview.teams);
    let selected = teams::selected_team(&session);
    let rows: Vec<MyTeamRow> = mine
        .iter()
        .map(|MyTeam { team, role }| MyTeamRow {
            team: team.into(),
            role: role.as_str(),
            selected: selected == Some(team.id),
        })
        .collect();
    let invitations: Vec<MyInvitationRow> = overview.invitations.iter().map(Into::into).collect();
    let mut context = page_context(&session, Some(user), Nav::Teams)?;
    context.insert("teams", &rows);
    context.insert("invitations", &invitations);
    Ok(html(state.templates.render("teams/list.html", &context)?))
}

/// `GET /teams/new`.
pub async fn new_form(
    SignedIn(user): SignedIn,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let context = page_context(&session, Some(&user), Nav::Teams)?;
    let values = NewTeamForm {
        new_team_id: teams::propose_team_id(&session)?.to_string(),
        name: String::new(),
    };
    let page = render_form(
        &state.templates,
        "teams/new.html",
        context,
        &values,
        &FormErrors::default(),
    )?;
    Ok(html(page))
}

#[derive(Debug, Deserialize, Serialize)]
pub struct NewTeamForm {
    #[serde(default)]
    new_team_id: String,
    #[serde(default)]
    name: String,
}

/// `POST /teams/new`: the creator becomes OWNER. The form carries the id its team will get, so a
/// second submission (after the first, or racing it) creates nothing and lands on the same team.
pub async fn create(
    SignedIn(user): SignedIn,
    Csrf(form): Csrf<NewTeamForm>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let Some(name) = errors.check("name", TeamName::parse(&form.name)) else {
        let context = page_context(&session, Some(&user), Nav::Teams)?;
        return Err(errors.reject(&state.templates, "teams/new.html", context, &form));
    };
    teams::ensure_room_for_a_team(state.store.as_ref(), user.id).await?;
    let id = TeamId::parse(&form.new_team_id).map_err(|_| {
        AppError::BadRequest("This form is out of date. Open \"Create a team\" again.")
    })?;
    if !teams::is_proposed_team_id(&session, id) {
        return already_submitted(&session, state.store.as_ref(), id, user.id).await;
    }
    match state.store.create_team_with_id(id, user.id, name).await {
        Ok(team) => {
            teams::forget_proposed_team_id(&session);
            tracing::info!(team.id = %team.id, user.id = %user.id, "team created");
            flash_and_redirect(&session, "Team created.", &team_url(team.id))
        }
        Err(StoreError::TeamExists) => {
            teams::forget_proposed_team_id(&session);
            already_submitted(&session, state.store.as_ref(), id, user.id).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A create form that already did its work: to the team it created, if it is mine, else my list.
async fn already_submitted(
    session: &Session,
    store: &dyn Store,
    id: TeamId,
    me: UserId,
) -> Result<HttpResponse, AppError> {
    session::add_flash(session, "info", "This form was already submitted.")?;
    match store.team_for_member(id, me).await? {
        Some(_) => Ok(redirect(&team_url(id))),
        None => Ok(redirect("/teams")),
    }
}

/// `GET /teams/{id}`: members, pending invitations, settings; selects the team. The signed-in
/// user is read as one of the page's members.
pub async fn show(
    me: SessionUser,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (page, mine) = teams::team_page_for(state.store.as_ref(), &path, me.id).await?;
    teams::select_team(&session, page.team.id, page.team.name.as_str(), mine.role)?;
    for connector in &page.connectors {
        connectors::check_in_background(&state, connector);
    }
    let mut context = page_context(&session, Some(&mine.user), Nav::Teams)?;
    insert_page(&mut context, &page, mine.role, me.id);
    context.insert("connectors", &connectors::cards(&page, &state));
    Ok(html(state.templates.render("teams/show.html", &context)?))
}

fn insert_page(context: &mut tera::Context, page: &TeamPage, my_role: TeamRole, me: UserId) {
    let members: Vec<MemberRow> = page
        .members
        .iter()
        .map(|m| MemberRow {
            id: m.user.id.to_string(),
            name: m.user.name.as_str().to_owned(),
            email: m.user.email.as_ref().map(|e| e.as_str().to_owned()),
            role: m.role.as_str(),
            is_owner: m.role.is_owner(),
            is_me: m.user.id == me,
        })
        .collect();
    let invitations: Vec<InvitationRow> = page
        .invitations
        .iter()
        .map(|i| InvitationRow {
            email: i.email.as_str().to_owned(),
            role: i.role.as_str(),
            created_at: i.created_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    context.insert("team", &TeamView::from(&page.team));
    context.insert("my_role", my_role.as_str());
    context.insert("can_manage", &my_role.can_manage());
    context.insert("is_owner", &my_role.is_owner());
    context.insert("members", &members);
    context.insert("invitations", &invitations);
    context.insert("roles", &assignable_roles());
}

/// A role as the pages show it: its code and what it may do.
#[derive(Debug, Serialize)]
struct RoleView {
    code: &'static str,
    summary: &'static str,
}

fn assignable_roles() -> Vec<RoleView> {
    TeamRole::ASSIGNABLE
        .iter()
        .map(|&role| RoleView {
            code: role.as_str(),
            summary: role_summary(role),
        })
        .collect()
}

/// What a member with `role` may do, in a few words.
fn role_summary(role: TeamRole) -> &'static str {
    match role {
        TeamRole::Owner => "everything, including connectors, transfer and deletion",
        TeamRole::Admin => "edits settings, invites, changes roles and removes members",
        TeamRole::Edit => "views the team and the dashboard (like READ, for now)",
        TeamRole::Read => "views the team and the dashboard",
    }
}
