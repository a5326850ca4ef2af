package server

import (
	"reflect"
	"strings"
	"testing"
)

// differ returns a value of v's type that differs from v.
func differ(t *testing.T, v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	out.Set(v)
	switch v.Kind() {
	case reflect.String:
		out.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		out.SetInt(v.Int() + 1)
	case reflect.Bool:
		out.SetBool(!v.Bool())
	case reflect.Slice:
		out.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
	case reflect.Struct:
		out.Field(0).Set(differ(t, v.Field(0)))
	default:
		t.Fatalf("no way to change a %s; teach differ() about it", v.Type())
	}
	return out
}

// TestRestartOnlyComparesStartupWhole: a change to any key of Startup is
// reported as needing a restart, by name; every other top-level field is
// one a reload rebuilds. A field added to Config must be placed in one of
// the two on purpose, or this test fails.
func TestRestartOnlyComparesStartupWhole(t *testing.T) {
	base := Defaults()
	base.SetDefaults()
	st := reflect.TypeFor[Startup]()
	for i := range st.NumField() {
		key, _, _ := strings.Cut(st.Field(i).Tag.Get("mapstructure"), ",")
		b := base
		f := reflect.ValueOf(&b.Startup).Elem().Field(i)
		f.Set(differ(t, f))
		if got := strings.Join(restartOnly(&base, &b), ","); got != key {
			t.Errorf("%s changed: restartOnly = %q, want %q", key, got, key)
		}
	}
	reloaded := map[string]bool{"BasePath": true, "Access": true, "Branding": true, "Headers": true, "Build": true, "Client": true}
	ct := reflect.TypeFor[Config]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if f.Name == "Startup" {
			continue
		}
		if !reloaded[f.Name] {
			t.Errorf("Config.%s is neither in Startup (compared whole, restart needed) nor one a reload rebuilds; place it", f.Name)
		}
		b := base
		v := reflect.ValueOf(&b).Elem().Field(i)
		v.Set(differ(t, v))
		if keys := restartOnly(&base, &b); len(keys) != 0 {
			t.Errorf("Config.%s changed: restartOnly = %q, want nothing", f.Name, keys)
		}
	}
}
