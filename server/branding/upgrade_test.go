package branding

import (
	"reflect"
	"slices"
	"testing"
)

func TestUpgradeReport(t *testing.T) {
	overlay := files(
		// Written for an older client: CALL_BUTTON was renamed, DIAL removed;
		// SIGN_IN_TITLE and APP_TITLE were added since.
		StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": "de-DE", "SIGN_IN": "Anmelden", "CALL_BUTTON": "Anrufen",
			"DIAL": "Wählen", "HANG_UP": "Auflegen"}`,
		"static/localization/strings-fr.json", fullStrings,
		"static/localization/strings-it.json", `{"CALL": "Chiama"}`,
	)
	r := Check(overlay, testDefaults())
	want := []StringsDiff{
		{File: StringsPath, Unused: []string{"CALL_BUTTON", "DIAL"}, Missing: []string{"APP_TITLE", "CALL", "SIGN_IN_TITLE"}},
		// strings-fr.json has exactly the client's keys: no entry.
		{File: "static/localization/strings-it.json", Missing: []string{"APP_TITLE", "HANG_UP", "LANGUAGE_RESOURCE_LOCALE", "SIGN_IN", "SIGN_IN_TITLE"}},
	}
	if !reflect.DeepEqual(r.Upgrade.Strings, want) {
		t.Errorf("Upgrade.Strings = %+v\nwant %+v", r.Upgrade.Strings, want)
	}
	wantLines := []string{
		StringsPath + ": 2 key(s) the client no longer uses, remove or rename them: CALL_BUTTON, DIAL",
		StringsPath + ": 3 key(s) of the client missing, agents see the English default text for them: APP_TITLE, CALL, SIGN_IN_TITLE",
		"static/localization/strings-it.json: 5 key(s) of the client missing, agents see the English default text for them: APP_TITLE, HANG_UP, LANGUAGE_RESOURCE_LOCALE, SIGN_IN, SIGN_IN_TITLE",
	}
	if got := r.Upgrade.Lines(); !slices.Equal(got, wantLines) {
		t.Errorf("Lines() =\n  %q\nwant\n  %q", got, wantLines)
	}
	if !r.OK() {
		t.Errorf("an outdated text file is not an error, got %q", r.Errors)
	}
}

func TestUpgradeReportWithoutClientStrings(t *testing.T) {
	defaults := testDefaults()
	delete(defaults, StringsPath)
	r := Check(files(StringsPath, `{"ANY_KEY": "x"}`), defaults)
	if len(r.Upgrade.Strings) != 0 || len(r.Warnings) != 0 || len(r.Errors) != 0 {
		t.Errorf("with no client text file to compare with, got upgrade %+v, warnings %q, errors %q", r.Upgrade, r.Warnings, r.Errors)
	}
}

func TestUpgradeReportUnparsableOverlay(t *testing.T) {
	r := Check(files(StringsPath, `[`), testDefaults())
	if len(r.Upgrade.Strings) != 0 {
		t.Errorf("Upgrade.Strings = %+v for a file that is not JSON, want none", r.Upgrade.Strings)
	}
	if len(r.Errors) != 1 {
		t.Errorf("Errors = %q, want one", r.Errors)
	}
}
