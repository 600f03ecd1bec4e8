<?php

// Settings for `php artisan reverb:start` (a stand-in for Laravel Reverb, which needs Laravel 10+).
return [
    'server' => [
        'host' => env('REVERB_SERVER_HOST', '0.0.0.0'),
        'port' => (int) env('REVERB_SERVER_PORT', env('REVERB_PORT', 8080)),
    ],

    'app' => [
        'id' => env('REVERB_APP_ID'),
        'key' => env('REVERB_APP_KEY'),
        'secret' => env('REVERB_APP_SECRET'),
        'host' => env('REVERB_HOST', '127.0.0.1'),
        'port' => (int) env('REVERB_PORT', 8080),
    ],
];
