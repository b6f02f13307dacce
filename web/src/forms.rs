//! Forms a person corrects: [`FormErrors`] collects one safe message per field, and
//! [`render_form`] renders a form's template with the typed values and those messages (beside
//! each field, `aria-invalid`, the first one focused). A rejected form becomes
//! [`AppError::FormRejected`], so the HTTP mapping stays in `error`.

use adboard_domain::DomainError;
use serde::Serialize;
use tera::Context;

use crate::error::{AppError, field_message};
use crate::templates::Templates;

/// The messages of a form that cannot be accepted as typed, in the form's order.
#[derive(Debug, Default)]
pub struct FormErrors {
    fields: Vec<(&'static str, String)>,
    conflict: bool,
}

impl FormErrors {
    /// The parsed value, or `None` with `field`'s message recorded.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, DomainError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(err) => {
                let (DomainError::Missing { field: what }
                | DomainError::Invalid { field: what, .. }) = err;
                self.add(field, field_message(what));
                None
            }
        }
    }

    /// Records `message` for `field` (the first message of a field wins).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if !self.fields.iter().any(|(f, _)| *f == field) {
            self.fields.push((field, message.into()));
        }
    }

    /// The values conflict with the current state (already a member, invitation pending): 409.
    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self {
            conflict: true,
            ..Self::default()
        };
        errors.add(field, message);
        errors
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The form's page re-rendered with the values and messages, as the error to answer with.
    pub fn reject(
        self,
        templates: &Templates,
        template: &str,
        context: Context,
        values: &impl Serialize,
    ) -> AppError {
        match render_form(templates, template, context, values, &self) {
            Ok(page) => AppError::FormRejected {
                conflict: self.conflict,
                page,
            },
            Err(err) => err,
        }
    }
}

/// Renders a form's template with `values` (what was typed, or the stored values) and `errors`:
/// `errors` maps a field to its message and `first_error` names the field to focus.
pub fn render_form(
    templates: &Templates,
    template: &str,
    mut context: Context,
    values: &impl Serialize,
    errors: &FormErrors,
) -> Result<String, AppError> {
    let messages: std::collections::BTreeMap<&str, &str> = errors
        .fields
        .iter()
        .map(|(field, message)| (*field, message.as_str()))
        .collect();
    context.insert("values", values);
    context.insert("errors", &messages);
    context.insert("first_error", errors.fields.first().map_or("", |(f, _)| f));
    templates.render(template, &context)
}

#[cfg(test)]
mod tests {
    use super::FormErrors;
    use adboard_domain::DomainError;

    #[test]
    fn the_first_message_of_each_field_is_kept_in_the_forms_order() {
        let mut errors = FormErrors::default();
        assert_eq!(errors.check("name", Ok::<_, DomainError>(1)), Some(1));
        assert!(errors.is_empty());
        let refused: Result<(), _> = Err(DomainError::invalid("email", "no @"));
        assert_eq!(errors.check("email", refused), None);
        errors.add("role", "Choose a role.");
        errors.add("email", "ignored");
        assert_eq!(
            errors.fields,
            vec![
                ("email", "That is not a valid email address.".to_owned()),
                ("role", "Choose a role.".to_owned())
            ]
        );
        assert!(!errors.conflict);
    }
}
