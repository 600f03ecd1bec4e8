<?php

// Laravel itself comes from Debian's php-laravel-framework (8.x), not from vendor/.
// require_once: `config:cache` loads this file a second time in the same process.
if (! class_exists(Illuminate\Foundation\Application::class)) {
    require_once '/usr/share/php/Illuminate/autoload.php';
}

$app = new Illuminate\Foundation\Application(
    $_ENV['APP_BASE_PATH'] ?? dirname(__DIR__)
);

$app->singleton(
    Illuminate\Contracts\Http\Kernel::class,
    App\Http\Kernel::class
);

$app->singleton(
    Illuminate\Contracts\Console\Kernel::class,
    App\Console\Kernel::class
);

$app->singleton(
    Illuminate\Contracts\Debug\ExceptionHandler::class,
    App\Exceptions\Handler::class
);

return $app;
