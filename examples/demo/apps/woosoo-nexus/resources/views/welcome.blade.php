<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <title>{{ config('app.name') }}</title>
</head>
<body>
    <h1>{{ config('app.name') }}</h1>
    <p>Environment: {{ app()->environment() }}. Laravel {{ app()->version() }}.</p>
    <p>Health: <a href="{{ url('/api/health') }}">/api/health</a></p>
</body>
</html>
