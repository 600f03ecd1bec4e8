import 'package:flutter/material.dart';

// Build-time config, e.g. `flutter build apk --release --dart-define=API_BASE=http://192.168.1.10:8000/api`.
const apiBase = String.fromEnvironment('API_BASE', defaultValue: 'http://127.0.0.1:8000/api');

void main() => runApp(const RelayApp());

class RelayApp extends StatelessWidget {
  const RelayApp({super.key});

  @override
  Widget build(BuildContext context) => MaterialApp(
        title: 'Relay Device',
        home: Scaffold(
          appBar: AppBar(title: const Text('Relay Device v2')),
          body: const Center(child: Text('API: $apiBase')),
        ),
      );
}
