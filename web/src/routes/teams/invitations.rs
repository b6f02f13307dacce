//! The invitee's answers on `/teams`: accept or decline an invitation to their verified email.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::{flash_and_redirect, team_url};
use crate::error::AppError;
use crate::extract::{Csrf, NoFields, SignedIn};
use crate::state::AppState;
use crate::teams;

/// `POST /invitations/{team}/accept`: only for the invited email's owner; to the team's page.
pub async fn accept(
    SignedIn(user): SignedIn,
    _: Csrf<NoFields>,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let joined = teams::accept_invitation(state.store.as_ref(), &path, &user).await?;
    flash_and_redirect(&session, "You joined the team.", &team_url(joined.team))
}

/// `POST /invitations/{team}/decline`: only for the invited email's owner; back to `/teams`.
pub async fn decline(
    SignedIn(user): SignedIn,
    _: Csrf<NoFields>,
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    teams::decline_invitation(state.store.as_ref(), &path, &user).await?;
    flash_and_redirect(&session, "Invitation declined.", "/teams")
}
