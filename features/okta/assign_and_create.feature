@okta
Feature: Assigning a user checks whether the app holds it, then creates it or links it

  # okta-wire.md §1.3 (the existence check: GET /Users?filter=userName eq "…"&startIndex=1&count=100,
  # percent-encoded; no match → POST with externalId, groups [], a random password and
  # active true), §1.11 (201 with the user's id links it)
  Scenario: a user the app does not hold is created after the existence check
    Given an Okta org
    And the user "alice" with:
      | attribute   | value             |
      | login       | alice@example.com |
      | email       | alice@example.com |
      | firstName   | Alice             |
      | lastName    | Smith             |
      | displayName | Alice Smith       |
    When "alice" is assigned to the app
    Then the IdP sent:
      | method | path                                                                           |
      | GET    | /Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100 |
      | POST   | /Users                                                                         |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "alice@example.com",
        "name": {"givenName": "Alice", "familyName": "Smith"},
        "emails": [{"primary": true, "value": "alice@example.com", "type": "work"}],
        "displayName": "Alice Smith",
        "groups": [],
        "active": true
      }
      """
    And the last request body has "externalId" and "password"
    And the target has the user "alice" with "userName" equal to "alice@example.com"
    And the target has the user "alice" active
    And Okta logged "Verify user exists in external application" for "alice" saying "no user with userName"
    And Okta logged "Push new user to external application" for "alice"
    And Okta has no open tasks
    And every response conforms
    And the responses match the snapshot

  # okta-wire.md §1.3 step 2b (a match is linked: GET /Users/{id}, then PUT of the profile,
  # no POST), test plan C9335 (a user who already exists in the app is linked, with the
  # profile updated)
  Scenario: a user the app already holds is linked and updated, not created again
    Given the target already has the user "bob@example.com" with:
      | path            | value  |
      | name.givenName  | Robert |
      | name.familyName | Jones  |
      | title           | Intern |
    And an Okta org
    And the user "bob" with:
      | attribute | value           |
      | login     | bob@example.com |
      | email     | bob@example.com |
      | firstName | Bob             |
      | lastName  | Jones           |
      | title     | Engineer        |
    When "bob" is assigned to the app
    Then the IdP sent:
      | method | path                                                                         |
      | GET    | /Users?filter=userName%20eq%20%22bob%40example.com%22&startIndex=1&count=100 |
      | GET    | /Users/{id}                                                                  |
      | PUT    | /Users/{id}                                                                  |
    And the last request body includes:
      """
      {"userName": "bob@example.com", "name": {"givenName": "Bob", "familyName": "Jones"}, "title": "Engineer"}
      """
    And the target has the user "bob" with "name.givenName" equal to "Bob"
    And the target has the user "bob" with "title" equal to "Engineer"
    And Okta logged "Verify user exists in external application" for "bob"
    And Okta logged "Push user's profile to external application" for "bob"
    And Okta has no open tasks
    And the responses match the snapshot
