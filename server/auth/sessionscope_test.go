package auth

import (
	"reflect"
	"testing"
)

// changed returns a copy of v with one more element, one more character
// or one more unit: a value that differs from v, of any field type.
func changed(t *testing.T, v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.String:
		out.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		out.SetInt(v.Int() + 1)
	case reflect.Bool:
		out.SetBool(!v.Bool())
	case reflect.Slice:
		elem := reflect.New(v.Type().Elem()).Elem()
		if elem.Kind() == reflect.Struct {
			for i := range elem.NumField() {
				elem.Field(i).Set(changed(t, elem.Field(i)))
			}
		} else {
			elem = changed(t, elem)
		}
		out.Set(reflect.Append(v, elem))
	default:
		t.Fatalf("no way to change a %s; teach changed() about it", v.Type())
	}
	return out
}

// TestSessionScopeCoversEveryField changes each field of access.jwt and
// access.oidc in turn: sessions survive the reload only for the fields
// known not to decide who gets in. A new field is compared until it is
// added to the list below on purpose.
func TestSessionScopeCoversEveryField(t *testing.T) {
	t.Run("jwt", func(t *testing.T) {
		keeps := map[string]bool{"HMACSecret": true, "LoginURL": true, "CallbackPath": true, "Leeway": true,
			"RefreshInterval": true, "MinRefreshInterval": true, "FetchTimeout": true, "MaxTokenBytes": true}
		base := JWTConfig{Issuer: "https://idp.example.com", Audience: []string{"softphone"}}
		typ := reflect.TypeFor[JWTConfig]()
		for i := range typ.NumField() {
			name := typ.Field(i).Name
			b := base
			f := reflect.ValueOf(&b).Elem().Field(i)
			f.Set(changed(t, f))
			if got := jwtConfigEqual(base, b); got != keeps[name] {
				t.Errorf("access.jwt %s changed: sessions kept = %v, want %v", name, got, keeps[name])
			}
		}
	})
	t.Run("oidc", func(t *testing.T) {
		keeps := map[string]bool{"ClientSecret": true, "ClientSecretFile": true, "Scopes": true, "RedirectPath": true,
			"LogoutPath": true, "Leeway": true, "RefreshInterval": true, "MinRefreshInterval": true, "FetchTimeout": true}
		base := Config{OIDC: OIDCConfig{Issuer: "https://idp.example.com", ClientID: "softphone"}}
		typ := reflect.TypeFor[OIDCConfig]()
		for i := range typ.NumField() {
			name := typ.Field(i).Name
			b := base
			f := reflect.ValueOf(&b.OIDC).Elem().Field(i)
			f.Set(changed(t, f))
			if got := oidcSessionsEqual(base, b); got != keeps[name] {
				t.Errorf("access.oidc %s changed: sessions kept = %v, want %v", name, got, keeps[name])
			}
		}
	})
	t.Run("oidc provider resolving to the same client", func(t *testing.T) {
		providers := []ProviderRef{{Name: "SSO", Type: "Keycloak", Authority: "https://kc.example.com", Realm: "agents", ClientID: "softphone"}}
		byName := Config{OIDC: OIDCConfig{Provider: "SSO"}, ClientProviders: providers}
		byValue := Config{OIDC: OIDCConfig{Issuer: "https://kc.example.com/realms/agents", ClientID: "softphone"}, ClientProviders: providers}
		if !oidcSessionsEqual(byName, byValue) {
			t.Error("a provider reference and the issuer and client it resolves to: sessions dropped, want kept")
		}
	})
}
