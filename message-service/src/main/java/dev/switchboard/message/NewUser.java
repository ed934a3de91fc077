package dev.switchboard.message;

import dev.switchboard.auth.Ids;

/** What a backend supplies to create a user ({@code POST /v1/users}). */
public record NewUser(String org, String id, String name, String email, String handle) {
    public NewUser {
        if (!Ids.isValid(org) || !Ids.isValid(id)) {
            throw ChatException.badRequest("org and id must be ids of 1-64 [A-Za-z0-9_.-]");
        }
        TextValidator.storable("name", name);
        TextValidator.storable("email", email);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ChatException.badRequest("name must be 1-200 characters");
        }
        if (email != null && (email.length() > 320 || email.indexOf('@') < 1)) {
            throw ChatException.badRequest("email is not an address");
        }
        if (handle != null && !Ids.isValid(handle)) {
            throw ChatException.badRequest("handle must be 1-64 [A-Za-z0-9_.-]");
        }
    }
}
