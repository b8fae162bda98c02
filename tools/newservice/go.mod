module github.com/hirfa/hirfa/tools/newservice

go 1.26.0
