package dev.parley.admin;

import dev.parley.accounts.UserAccount;

/** An account's e-mail address and display name as an admin corrects them; the same rules as for a new user. */
public class EditUserForm extends AccountFields {

    static EditUserForm of(UserAccount account) {
        EditUserForm form = new EditUserForm();
        form.setEmail(account.getEmail());
        form.setDisplayName(account.getDisplayName());
        return form;
    }
}
